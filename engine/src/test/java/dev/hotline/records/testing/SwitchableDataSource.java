package dev.hotline.records.testing;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A data source that can be switched off to simulate an outage: while off, {@code getConnection} fails with a
 * connection-refused error, as a pool does when the server is down. Counts connection attempts so a test can wait
 * until the writer has actually run into the outage.
 */
public final class SwitchableDataSource implements DataSource {

    private final DataSource delegate;
    private final String description;
    private final AtomicBoolean on = new AtomicBoolean(true);
    private final AtomicInteger refused = new AtomicInteger();

    public SwitchableDataSource(DataSource delegate, String description) {
        this.delegate = delegate;
        this.description = description;
    }

    public void off() {
        on.set(false);
    }

    public void on() {
        on.set(true);
    }

    /** Connection attempts refused while off. */
    public int refused() {
        return refused.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!on.get()) {
            refused.incrementAndGet();
            throw new SQLException(description + ": Connection refused (switched off by the test)", "08001");
        }
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
