package dev.hotline.gateway.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTest {

    @Test
    void acceptsAReasonablePasswordAndNamesTheRuleAWeakOneBreaks() {
        assertThat(PasswordPolicy.problem("ann", "Kestrel-42x")).isEmpty();
        assertThat(PasswordPolicy.problem("ann", "Sh0rt!")).get().asString().contains("at least 10");
        assertThat(PasswordPolicy.problem("ann", "onlyletterslower")).get().asString().contains("one kind");
        assertThat(PasswordPolicy.problem("ann", "ab1ab1ab1ab1")).get().asString().contains("different characters");
        assertThat(PasswordPolicy.problem("walter", "Walter-2026x")).get().asString().contains("username");
        assertThat(PasswordPolicy.problem("ann", "Aa1" + "é".repeat(40))).get().asString().contains("72 bytes");
    }
}
