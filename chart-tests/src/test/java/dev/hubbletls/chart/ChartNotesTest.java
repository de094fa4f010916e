package dev.hubbletls.chart;

import static dev.hubbletls.chart.ChartRendering.GROUP_ID;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** After an install Helm prints how to see a node's status. */
class ChartNotesTest {

    @Test
    void notes_sayHowToSeeTheStatusAndTheEvents() {
        String output = ChartRendering.installOutput(GROUP_ID);

        assertThat(output)
                .contains("kubectl -n kube-system port-forward pod/<pod> 9244:9244")
                .contains("curl -s http://localhost:9244/status")
                .contains("http://localhost:9244/")
                .contains("kubectl -n kube-system get events "
                        + "--field-selector involvedObject.kind=Node")
                .doesNotContain("groupId is 0");
    }

    @Test
    void notes_withGroupZero_suggestCheckingTheGid() {
        String output = ChartRendering.installOutput("hubbleSocket:\n  groupId: 0\n");

        assertThat(output).contains("hubbleSocket.groupId is 0").contains("SOCKET_UNREACHABLE");
    }
}
