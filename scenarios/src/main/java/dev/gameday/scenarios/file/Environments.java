package dev.gameday.scenarios.file;

import dev.gameday.demo.Flaw;
import dev.gameday.scenarios.EnvironmentSource;
import java.util.Set;

/**
 * Makes the environment source of a parsed file. Parsing only makes it; the runner starts it. Tests substitute one
 * that records whether anything was started.
 *
 * <pre>{@code
 * EnvironmentSource demo = Environments.DEFAULT.demo(Set.of());
 * }</pre>
 */
interface Environments {

    Environments DEFAULT = new Environments() {
        @Override
        public EnvironmentSource demo(Set<Flaw> flaws) {
            return new DemoEnvironment(flaws);
        }

        @Override
        public EnvironmentSource compose(ComposeSection compose) {
            return ComposeEnvironments.source(compose);
        }
    };

    EnvironmentSource demo(Set<Flaw> flaws);

    EnvironmentSource compose(ComposeSection compose);
}
