package dev.gameday.environments.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project's version, which tags the images this project builds itself. */
final class ProjectVersion {

    static final String VALUE = load();

    private ProjectVersion() {
    }

    private static String load() {
        try (InputStream in = ProjectVersion.class.getResourceAsStream("gameday-version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException("gameday-version.properties is missing from the environments jar;"
                    + " rebuild it with Maven", e instanceof IOException io ? io : new IOException(e));
        }
    }
}
