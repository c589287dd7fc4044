package dev.gameday.demo.order;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * Reads order requests from JSON and writes orders as JSON, without reflection on the request path.
 *
 * <p>Example: {@code OrderRequest request = OrderJson.parseRequest(body);} throws an
 * {@link InvalidOrderException} naming the field when the body is malformed.
 */
public final class OrderJson {

    /** At most this many digits after the decimal point in a quantity or price. */
    public static final int MAX_DECIMAL_PLACES = 8;
    /** At most this many digits before the decimal point in a quantity or price. */
    public static final int MAX_INTEGER_DIGITS = 18;

    private static final String EXAMPLE =
            "{\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"quantity\":1.5,\"price\":65000.0}";
    private static final int TYPICAL_ORDER_SIZE = 384;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private OrderJson() {
    }

    /**
     * The order request in {@code body}.
     *
     * @throws InvalidOrderException naming the missing or mistyped field, or {@code body} when it is not a JSON object
     */
    public static OrderRequest parseRequest(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException malformed) {
            throw new InvalidOrderException("body", "request body is not valid JSON (" + malformed.getOriginalMessage()
                    + "). Send a JSON object like " + EXAMPLE + ".");
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidOrderException("body", "request body must be a JSON object like " + EXAMPLE + ".");
        }
        return new OrderRequest(text(root, "account"), text(root, "symbol"), text(root, "side"),
                decimal(root, "quantity"), decimal(root, "price"));
    }

    /** {@code order} as the API returns it and the cache stores it. */
    public static byte[] write(Order order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(TYPICAL_ORDER_SIZE);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("id", order.id().toString());
            json.writeStringField("account", order.account());
            json.writeStringField("symbol", order.symbol());
            json.writeStringField("side", order.side().name());
            json.writeNumberField("quantity", order.quantity());
            json.writeNumberField("price", order.price());
            json.writeStringField("status", order.status().name());
            json.writeStringField("exchangeOrderId", order.exchangeOrderId());
            json.writeStringField("createdAt", order.createdAt().toString());
            json.writeStringField("updatedAt", order.updatedAt().toString());
            json.writeEndObject();
        } catch (IOException impossibleInMemory) {
            throw new UncheckedIOException(impossibleInMemory);
        }
        return out.toByteArray();
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = present(root, field);
        if (!node.isTextual()) {
            throw new InvalidOrderException(field, field + " must be a JSON string, but was " + node
                    + ". Send it in quotes, as in " + EXAMPLE + ".");
        }
        String value = node.textValue();
        if (value.isBlank() || value.length() > 64) {
            throw new InvalidOrderException(field, field + " must be 1 to 64 characters and not blank, but was \""
                    + value + "\".");
        }
        return value;
    }

    private static BigDecimal decimal(JsonNode root, String field) {
        JsonNode node = present(root, field);
        if (!node.isNumber()) {
            throw new InvalidOrderException(field, field + " must be a JSON number, but was " + node
                    + ". Send it without quotes, as in " + EXAMPLE + ".");
        }
        BigDecimal value = node.decimalValue();
        BigDecimal significant = value.stripTrailingZeros();
        if (significant.scale() > MAX_DECIMAL_PLACES || significant.precision() - significant.scale() > MAX_INTEGER_DIGITS) {
            throw new InvalidOrderException(field, field + " must have at most " + MAX_INTEGER_DIGITS + " digits before and "
                    + MAX_DECIMAL_PLACES + " after the decimal point, but was " + value + ".");
        }
        return value;
    }

    private static JsonNode present(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidOrderException(field, field + " is missing. Send every field, as in " + EXAMPLE + ".");
        }
        return node;
    }
}
