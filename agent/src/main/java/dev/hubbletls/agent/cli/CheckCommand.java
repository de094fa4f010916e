package dev.hubbletls.agent.cli;

import dev.hubbletls.agent.check.CheckPass;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.check.ReportJson;
import dev.hubbletls.agent.config.AgentSettings;
import dev.hubbletls.agent.telemetry.AgentTelemetry;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** One pass, a report, and an exit code: 0 ok, 1 warnings, 2 critical, 3 could not run. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Run one pass of every check and print a report.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check ok", "1:warnings", "2:critical, or a check could not tell",
            "3:could not run (bad flags or configuration)"})
final class CheckCommand implements Callable<Integer> {

    /** How the report is printed. */
    enum Output { text, json }

    @Mixin
    TargetOptions target;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Clock clock = Clock.systemUTC();
        CheckReport report;
        AgentSettings settings = target.settings();
        try (AgentTelemetry telemetry = AgentTelemetry.fromEnvironment(clock,
                AgentTelemetry.DEFAULT_EVENT_REPEAT, settings.nodeName());
             CheckPass pass = CheckPass.create(settings, clock)) {
            report = pass.run();
            telemetry.record(report);
        }
        String rendered = output == Output.json
                ? ReportJson.text(report, clock.instant())
                : TextReport.render(report, clock.instant());
        spec.commandLine().getOut().println(rendered);
        return report.status().exitCode();
    }
}
