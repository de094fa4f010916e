package dev.hubbletls.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hubbletls.agent.check.CheckReport;
import dev.hubbletls.agent.check.ReportJson;
import dev.hubbletls.agent.watch.Rotation;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code /status}: the last report in the model of {@code check --output json},
 * plus {@code nextPassAt} and {@code rotations}. Before the first pass it says so.
 */
final class StatusJson {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusJson() {
    }

    static String render(Optional<CheckReport> report, Optional<Instant> nextPassAt,
                         List<Rotation> rotations, Instant now) {
        ObjectNode root = report.map(finished -> ReportJson.tree(finished, now))
                .orElseGet(StatusJson::pending);
        root.put("nextPassAt", nextPassAt.map(Instant::toString).orElse(null));
        root.set("rotations", ReportJson.rotations(rotations));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode pending() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("status", "pending");
        root.put("message", "the first check pass has not finished yet");
        return root;
    }
}
