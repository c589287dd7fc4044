package dev.gameday.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs Gameday experiments from JUnit Jupiter tests: test methods take a {@link GamedayRunner} parameter, and a
 * static {@link SystemUnderTest} field, if there is one, is started once for the class, shared by its tests, checked
 * healthy between them and always closed.
 *
 * <pre>{@code
 * @Gameday
 * class QuotesResilienceTest {
 *     @SystemUnderTest
 *     static EnvironmentSource system = () -> DemoTradingSystem.builder().start();
 *
 *     @Test
 *     void survivesRedisTimeouts(GamedayRunner gameday) {
 *         gameday.run(RedisTimeouts.experiment());   // FAILED or INVALID fails the test
 *     }
 * }
 * }</pre>
 *
 * <p>Gameday runs one experiment at a time per JVM (its load generator keeps static state), so classes carrying this
 * annotation hold a shared {@linkplain ResourceLock resource lock}: with JUnit's parallel execution switched on they
 * still run one after another. Reports go to {@code target/gameday/<test class>/<test method>/} and Allure results to
 * {@code target/allure-results}; see {@link GamedayExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(GamedayExtension.class)
@ResourceLock(GamedayExtension.RESOURCE_LOCK)
public @interface Gameday {
}
