package dev.hotline.config;

import dev.hotline.yaml.Secret;

import java.time.Duration;
import java.util.Objects;

/**
 * One Asterisk server reached over AMI (an entry of {@code ami.servers}).
 *
 * @param id             short name used in call ids, logs and /health (e.g. {@code pbx1})
 * @param host           AMI host
 * @param port           AMI port (5038 by default)
 * @param username       manager.conf user
 * @param secret         its secret; never logged
 * @param connectTimeout TCP connect and login timeout
 */
public record AmiServerConfig(String id, String host, int port, String username, Secret secret,
                              Duration connectTimeout) {

    public AmiServerConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        AgiConfig.requireRange("port", port, 1, 65535);
        AgiConfig.requirePositive("connectTimeout", connectTimeout);
    }
}
