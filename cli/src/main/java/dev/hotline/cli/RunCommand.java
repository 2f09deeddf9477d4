package dev.hotline.cli;

import dev.hotline.app.HotlineEngine;
import dev.hotline.config.ConfigException;
import dev.hotline.config.ConfigLoader;
import dev.hotline.cli.users.DemoPasswords;
import dev.hotline.config.HotlineConfig;
import dev.hotline.yaml.YamlProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code hotline run}: starts the engine with the configuration file and runs until stopped (Ctrl-C / SIGTERM). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the engine with the configuration file; stop with Ctrl-C or SIGTERM (calls in progress"
                + " get agi.shutdown_grace to finish).")
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--agents-ready",
            description = "Log every agent of the agents file in and make them ready at start (until agents log in"
                    + " from the agent desktop, this is how a shift starts).")
    boolean agentsReady;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        HotlineConfig config;
        java.util.List<dev.hotline.config.AgentConfig> agents;
        try {
            ConfigLoader loader = ConfigLoader.fromSystemEnvironment();
            config = Main.resolve(loader.load(main.configFile()));
            agents = loader.loadAgents(config.agentsFile());
        } catch (ConfigException e) {
            e.problems().forEach((YamlProblem p) -> err.println(p));
            err.printf("%s: %d problem(s); the engine was not started%n", main.configFile(), e.problems().size());
            return 1;
        }
        // The demo's users have public passwords: a real engine never starts while one of them can sign in.
        try {
            java.util.Optional<String> demoUsers = DemoPasswords.check(config, Main.home());
            if (demoUsers.isPresent()) {
                err.println("hotline run: refusing to start: " + demoUsers.get());
                return 1;
            }
        } catch (ConfigException e) {
            e.problems().forEach((YamlProblem p) -> err.println(p));
            err.printf("%s: %d problem(s); the engine was not started%n", config.gateway().usersFile(),
                    e.problems().size());
            return 1;
        }
        HotlineEngine engine = new HotlineEngine(config, agents, Main.version());
        try {
            engine.start();
        } catch (IllegalStateException e) {
            err.println("hotline: " + e.getMessage());
            return 1;
        }
        if (agentsReady) {
            engine.acd().loginAllReady();
        }
        dev.hotline.gateway.Gateway gateway;
        try {
            gateway = dev.hotline.gateway.Gateway.start(engine.api(), config.gateway());
        } catch (ConfigException e) {
            e.problems().forEach((YamlProblem p) -> err.println(p));
            err.printf("%s: %d problem(s); the engine was stopped%n", config.gateway().usersFile(),
                    e.problems().size());
            engine.close();
            return 1;
        } catch (RuntimeException | javax.net.ssl.SSLException e) {
            err.println("hotline: the agent gateway could not start on " + config.gateway().bind() + ":"
                    + config.gateway().port() + ": " + e);
            engine.close();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            engine.close();
            stopped.countDown();
        }, "shutdown"));
        java.net.InetSocketAddress agi = engine.agiAddress();
        String fastAgi = agi != null ? "FastAGI on " + agi.getHostString() + ":" + agi.getPort()
                : "standby engine of a pair (FastAGI opens on " + config.agi().bind() + ":" + config.agi().port()
                + " when it takes over)";
        spec.commandLine().getOut().printf("Hotline running: %s, agent gateway %s (%d users). Ctrl-C to stop.%n",
                fastAgi, gateway.url(), gateway.users().all().size());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
