/**
 * Renders the result of one experiment run ({@link dev.gameday.reports.RunReport}): a console report, a JSON summary,
 * JUnit XML, Allure results and the histogram log. Reports render what the evaluation decided; they never decide.
 *
 * <pre>{@code
 * RunReport run = new RunReport("redis-timeouts", "demo-trading-system", "Orders survive a slow Redis.",
 *         parameters, timeline, evaluation);
 * ConsoleReport.forStandardOutput().print(run, System.out);
 * Reports.writeAll(run, Path.of("target/gameday/redis-timeouts"));
 * }</pre>
 */
package dev.gameday.reports;
