package dev.hubbletls.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One run of the command line as a user makes it, through {@link Main#execute}: the exit
 * code and everything printed on stdout and stderr.
 *
 * @param exitCode what the process would exit with
 * @param out      what went to stdout
 * @param err      what went to stderr
 */
record CommandRun(int exitCode, String out, String err) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SLICE = 40;

    /** Runs the command line with {@code args}. */
    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandRun(exitCode, out.toString(), err.toString());
    }

    /** Runs {@code check} with {@code args}, asking for the JSON report. */
    static CommandRun checkJson(String... args) {
        List<String> all = new ArrayList<>(List.of("check", "--output", "json"));
        all.addAll(List.of(args));
        return of(all.toArray(String[]::new));
    }

    /** Stdout parsed as the JSON report. */
    JsonNode report() {
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException("stdout is not JSON: " + out + err, e);
        }
    }

    /** The report's entry for the check {@code id}; fails when the report has none. */
    JsonNode check(String id) {
        for (JsonNode check : report().get("checks")) {
            if (check.get("id").asText().equals(id)) {
                return check;
            }
        }
        throw new AssertionError("no check " + id + " in " + out);
    }

    /** The report's check ids, in report order. */
    List<String> checkIds() {
        return texts(report().get("checks"), "id");
    }

    /** The field {@code name} of every element of {@code array}. */
    static List<String> texts(JsonNode array, String name) {
        List<String> values = new ArrayList<>();
        array.forEach(element -> values.add(element.get(name).asText()));
        return values;
    }

    /** Asserts that nothing printed holds a private key, or a piece of {@code keyPem}'s body. */
    void assertRevealsNoKey(String keyPem) {
        String body = keyPem.lines()
                .filter(line -> !line.startsWith("-----") && !line.contains(":"))
                .collect(Collectors.joining());
        assertThat(body).hasSizeGreaterThan(SLICE);
        assertThat(out + err).doesNotContain("PRIVATE KEY")
                .doesNotContain(body.substring(0, SLICE))
                .doesNotContain(body.substring(body.length() - SLICE));
    }
}
