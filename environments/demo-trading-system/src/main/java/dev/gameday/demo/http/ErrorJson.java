package dev.gameday.demo.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The body of every error response: {@code {"error": code, "message": ..., "field" | "dependency": ...}}.
 *
 * <p>Example: {@code ErrorJson.field("invalid_request", "quantity", "quantity is missing")}.
 */
final class ErrorJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ErrorJson() {
    }

    static byte[] of(String code, String message) {
        return write(code, message, null, null, null);
    }

    static byte[] field(String code, String field, String message) {
        return write(code, message, "field", field, null);
    }

    static byte[] dependency(String dependency, String message, String orderId) {
        return write("dependency_unavailable", message, "dependency", dependency, orderId);
    }

    private static byte[] write(String code, String message, String key, String value, String orderId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("error", code);
            if (key != null) {
                json.writeStringField(key, value);
            }
            if (orderId != null) {
                json.writeStringField("orderId", orderId);
            }
            json.writeStringField("message", message);
            json.writeEndObject();
        } catch (IOException impossibleInMemory) {
            throw new UncheckedIOException(impossibleInMemory);
        }
        return out.toByteArray();
    }
}
