package dev.gameday.junit;

import dev.gameday.environments.Environment;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.scenarios.EnvironmentSource;
import dev.gameday.scenarios.ExperimentRunner;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;

/**
 * The JUnit Jupiter extension behind {@link Gameday}; register it with that annotation rather than directly.
 *
 * <pre>{@code
 * @Gameday   // = @ExtendWith(GamedayExtension.class), plus a resource lock
 * class OrdersResilienceTest {
 *     @Test
 *     void survivesRedisTimeouts(GamedayRunner gameday) {
 *         gameday.run(RedisTimeouts.experiment());   // starts and closes its own environment
 *     }
 * }
 * }</pre>
 *
 * <p>What it does:
 * <ul>
 *   <li>before the class's first test, starts its static {@link SystemUnderTest} field's environment, if it has one;
 *       the class's {@linkplain ExtensionContext.Store store} owns it and closes it after the last test, whatever the
 *       outcome, and a shutdown hook closes it if the JVM is interrupted first (the runner's own hooks revert any
 *       fault before);</li>
 *   <li>before every later test, checks it healthy; the test fails with the reason if it is not, without running;</li>
 *   <li>resolves {@link GamedayRunner} parameters. Without a shared system, an experiment's own environment is
 *       started for it, owned by the test's store and closed as soon as the run ends;</li>
 *   <li>fails the test on a FAILED or INVALID verdict; writes reports under the build directory
 *       ({@code maven.build.directory} or {@code project.build.directory} if set, else {@code target}):
 *       {@code gameday/<test class>/<test method>/} and Allure results in {@code allure-results/}.</li>
 * </ul>
 */
public final class GamedayExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    /** The resource lock {@link Gameday} classes hold, so that JUnit never runs two at once. */
    public static final String RESOURCE_LOCK = "dev.gameday.experiment";

    static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GamedayExtension.class);
    private static final String SHARED = "shared system under test";

    /** How a run is carried out; tests of the extension replace it, everything else uses the real runner. */
    @FunctionalInterface
    interface Execution {
        dev.gameday.scenarios.ExperimentResult run(dev.gameday.scenarios.Experiment experiment, Environment environment,
                                                   Path resultsRoot, boolean failFast);
    }

    static final Execution RUNNER = (experiment, environment, root, failFast) -> {
        ExperimentRunner runner = ExperimentRunner.create().resultsIn(root);
        return (failFast ? runner.failFast() : runner).run(experiment, environment);
    };
    static volatile Execution execution = RUNNER;

    /** Instantiated by JUnit. */
    public GamedayExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<Field> field = systemUnderTest(context.getRequiredTestClass());
        if (field.isEmpty()) {
            return;
        }
        EnvironmentSource source = read(field.get());
        String owner = context.getRequiredTestClass().getSimpleName();
        System.out.printf("gameday: starting the system under test of %s (%s)%n", owner, field.get().getName());
        Environment environment = source.start();
        context.getStore(NAMESPACE).put(SHARED, new SharedSystem(new HeldEnvironment(environment, owner)));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        SharedSystem shared = shared(context);
        if (shared == null) {
            return;
        }
        // the first test runs right after the start, which waited for readiness
        if (shared.testsStarted++ == 0) {
            return;
        }
        try {
            shared.held.environment().checkHealthy();
        } catch (RuntimeException e) {
            throw new EnvironmentUnavailableException("The system under test shared by "
                    + context.getRequiredTestClass().getSimpleName() + " ('" + shared.held.environment().name()
                    + "') is not healthy before test '" + context.getDisplayName() + "', so the test did not run. This"
                    + " is the environment's state after the earlier tests, not a verdict of this test's experiment: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == GamedayRunner.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        SharedSystem shared = shared(context);
        return new TestRunner(context, shared == null ? Optional.empty() : Optional.of(shared.held.environment()),
                ReportLocations.of(context), execution);
    }

    private static SharedSystem shared(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(SHARED, SharedSystem.class);
    }

    private static Optional<Field> systemUnderTest(Class<?> testClass) {
        List<Field> fields = AnnotationSupport.findAnnotatedFields(testClass, SystemUnderTest.class, field -> true,
                HierarchyTraversalMode.TOP_DOWN);
        if (fields.size() > 1) {
            throw new ExtensionConfigurationException(testClass.getSimpleName() + " has " + fields.size()
                    + " @SystemUnderTest fields (" + fields.stream().map(Field::getName).toList() + "); a class shares"
                    + " one system under test. Keep one.");
        }
        for (Field field : fields) {
            if (!ModifierSupport.isStatic(field)) {
                throw new ExtensionConfigurationException("@SystemUnderTest field '" + field.getName() + "' of "
                        + testClass.getSimpleName() + " must be static: the system is started once for the class and"
                        + " shared by its tests. (Without @SystemUnderTest, each experiment starts its own environment.)");
            }
            if (!EnvironmentSource.class.isAssignableFrom(field.getType())) {
                throw new ExtensionConfigurationException("@SystemUnderTest field '" + field.getName() + "' of "
                        + testClass.getSimpleName() + " must be of type EnvironmentSource, but is "
                        + field.getType().getSimpleName() + ". Write: static EnvironmentSource system = () ->"
                        + " DemoTradingSystem.builder().start();");
            }
        }
        return fields.stream().findFirst();
    }

    private static EnvironmentSource read(Field field) {
        try {
            field.setAccessible(true);
            Object value = field.get(null);
            if (value == null) {
                throw new ExtensionConfigurationException("@SystemUnderTest field '" + field.getName() + "' of "
                        + field.getDeclaringClass().getSimpleName() + " is null; assign it an EnvironmentSource.");
            }
            return (EnvironmentSource) value;
        } catch (IllegalAccessException | RuntimeException e) {
            if (e instanceof ExtensionConfigurationException configuration) {
                throw configuration;
            }
            throw new ExtensionConfigurationException("Cannot read @SystemUnderTest field '" + field.getName() + "' of "
                    + field.getDeclaringClass().getSimpleName() + ": " + e, e);
        }
    }

    /** The class's shared environment, and how many of its tests have started; closed by the class's store. */
    private static final class SharedSystem implements AutoCloseable {
        private final HeldEnvironment held;
        private int testsStarted;

        SharedSystem(HeldEnvironment held) {
            this.held = held;
        }

        @Override
        public void close() {
            held.close();
        }
    }
}
