package dev.tangle.agent.bootstrap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live options: loopback unless asked otherwise, a token always, and the token kept out of the header; the
 * leaf-hold option.
 */
class AgentConfigTest {
    @Test
    void loopbackHostsNeedNoOptIn() {
        for (String host : new String[] {"localhost", "127.0.0.1", "127.1.2.3", "[::1]"}) {
            AgentConfig c = AgentConfig.parse("out=a.trace,live=" + host + ":4711,token=abc");
            assertThat(c.isLive()).isTrue();
            assertThat(c.liveHost).isEqualTo(host.replace("[", "").replace("]", ""));
            assertThat(c.livePort).isEqualTo(4711);
            assertThat(c.token).isEqualTo("abc");
            assertThat(c.outGiven).isTrue();
        }
    }

    @Test
    void otherHostsNeedLiveRemote() {
        for (String host : new String[] {"10.0.0.1", "example.com", "[2001:db8::1]", "127.0.0.1.example.com"}) {
            assertThatThrownBy(() -> AgentConfig.parse("live=" + host + ":4711,token=abc"))
                    .hasMessageContaining("is not this machine's loopback").hasMessageContaining("liveRemote=true");
            assertThat(AgentConfig.parse("live=" + host + ":4711,token=abc,liveRemote=true").isLive()).isTrue();
        }
    }

    @Test
    void badLiveOptionsAreErrors() {
        assertThatThrownBy(() -> AgentConfig.parse("live=localhost:4711"))
                .hasMessage("option live needs token=... (the collector's secret)");
        assertThatThrownBy(() -> AgentConfig.parse("token=abc"))
                .hasMessage("options token and liveRemote need live=HOST:PORT");
        assertThatThrownBy(() -> AgentConfig.parse("live=localhost,token=abc"))
                .hasMessage("option live must be HOST:PORT, not 'localhost'");
        assertThatThrownBy(() -> AgentConfig.parse("live=localhost:0,token=abc"))
                .hasMessage("option live (port) must be between 1 and 65535");
        assertThatThrownBy(() -> AgentConfig.parse("live=:80,token=abc"))
                .hasMessage("option live must be HOST:PORT, not ':80'");
    }

    @Test
    void leafHoldsAreCollapsedByDefaultAndCanBeRecordedOneByOne() {
        assertThat(AgentConfig.parse("out=a.trace").collapseLeafHolds).isTrue();
        assertThat(AgentConfig.parse("leafHolds=collapse").collapseLeafHolds).isTrue();
        assertThat(AgentConfig.parse("leafHolds=record").collapseLeafHolds).isFalse();
        assertThatThrownBy(() -> AgentConfig.parse("leafHolds=some"))
                .hasMessage("option leafHolds must be collapse or record, not 'some'");
    }

    @Test
    void theTokenIsHiddenInTheRecordedOptions() {
        AgentConfig c = AgentConfig.parse("out=a.trace,live=localhost:4711,token=s3cr3t,stacks=all");
        assertThat(c.redactedRaw()).isEqualTo("out=a.trace,live=localhost:4711,token=***,stacks=all");
        assertThat(AgentConfig.parse("out=a.trace").outGiven).isTrue();
        assertThat(AgentConfig.parse("stacks=all").outGiven).isFalse();
    }
}
