package dev.gameday.junit;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where one test's reports go: {@code <build directory>/gameday/<test class>/<test method>/} and the build
 * directory's {@code allure-results/}, the directory Allure's JUnit integration writes to.
 *
 * @param runs   the parent of each run's results directory
 * @param allure the Allure results directory
 */
record ReportLocations(Path runs, Path allure) {

    static final String BUILD_DIRECTORY = "maven.build.directory";
    static final String PROJECT_BUILD_DIRECTORY = "project.build.directory";

    static ReportLocations of(ExtensionContext context) {
        Path build = buildDirectory();
        String method = context.getTestMethod().map(java.lang.reflect.Method::getName).orElse("class");
        return new ReportLocations(build.resolve("gameday").resolve(context.getRequiredTestClass().getName()).resolve(method),
                build.resolve("allure-results"));
    }

    static Path buildDirectory() {
        String configured = System.getProperty(BUILD_DIRECTORY, System.getProperty(PROJECT_BUILD_DIRECTORY));
        return Path.of(configured == null || configured.isBlank() ? "target" : configured);
    }
}
