package dev.hotline.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @Test
    void matchesAddressesInsideTheNetworkOnly() throws Exception {
        Cidr c = Cidr.parse("10.20.0.0/16");
        assertThat(c.contains(InetAddress.getByName("10.20.255.1"))).isTrue();
        assertThat(c.contains(InetAddress.getByName("10.21.0.1"))).isFalse();
        assertThat(c.contains(InetAddress.getByName("::1"))).isFalse();
    }

    @Test
    void bareAddressIsASingleHostAndMappedIpv4Matches() throws Exception {
        Cidr c = Cidr.parse("127.0.0.1");
        assertThat(c.prefixLength()).isEqualTo(32);
        assertThat(c.contains(InetAddress.getByName("::ffff:127.0.0.1"))).isTrue();
        assertThat(c.contains(InetAddress.getByName("127.0.0.2"))).isFalse();
    }

    @Test
    void ipv6Networks() throws Exception {
        Cidr c = Cidr.parse("fd00::/8");
        assertThat(c.contains(InetAddress.getByName("fd12:3456::1"))).isTrue();
        assertThat(c.contains(InetAddress.getByName("fe80::1"))).isFalse();
    }

    @Test
    void rejectsHostNamesAndBadPrefixes() {
        assertThatThrownBy(() -> Cidr.parse("asterisk.example.com")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/40")).hasMessageContaining("prefix length 40 out of range");
        assertThatThrownBy(() -> Cidr.parse("10.0.0/8")).hasMessageContaining("not an IP address");
    }
}
