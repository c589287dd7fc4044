package dev.gameday.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the static {@link dev.gameday.scenarios.EnvironmentSource} field of a {@link Gameday} test class whose
 * environment the class's experiments run against. It is started once, before the first test; checked healthy
 * ({@link dev.gameday.environments.Environment#checkHealthy()}) before every later test, which fails with the reason
 * if it is not; and closed after the last test whatever happened, or by a shutdown hook if the JVM is interrupted.
 *
 * <pre>{@code
 * @SystemUnderTest
 * static EnvironmentSource system = () -> DemoTradingSystem.builder().start();
 * }</pre>
 *
 * <p>Without it, each experiment starts its own environment (its {@code given(..)}) and closes it when it ends.
 * With it, experiments run against the shared environment instead of their own, so each test pays the run, not the
 * start.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SystemUnderTest {
}
