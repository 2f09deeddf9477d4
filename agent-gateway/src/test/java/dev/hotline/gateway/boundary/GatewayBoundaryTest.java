package dev.hotline.gateway.boundary;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import dev.hotline.records.report.Grouping;
import dev.hotline.records.report.QueueKpis;
import dev.hotline.records.store.AppDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine API is the gateway's only way into the engine, and no package of the engine imports one above it.
 * The rules run over the compiled main classes of the engine and the gateway; each is also shown to fail on a
 * fixture that breaks it (the {@code fixture} packages under this test's folder), so none of them can pass by
 * matching nothing.
 */
@Tag("slow")
class GatewayBoundaryTest {

    /**
     * What the gateway may use of the engine: the API and the value packages its records are made of. The feature
     * packages after them are still reached through their services ({@code EngineApi.qa()}, {@code callbacks()},
     * {@code outbound()}, {@code admin().directory()}, {@code admin().ivr()}): next to narrow, then to drop here.
     */
    static final String[] GATEWAY_MAY_USE = {
            "dev.hotline.gateway..", "dev.hotline.api..", "dev.hotline.events..", "dev.hotline.config..",
            "dev.hotline.yaml..", "dev.hotline.net..", "dev.hotline.records.model..", "dev.hotline.schedule..",
            // feature services given through EngineApi, not yet narrowed
            "dev.hotline.qa..", "dev.hotline.callbacks..", "dev.hotline.outbound..", "dev.hotline.directory..",
            "dev.hotline.ivr.."};

    /**
     * The engine's layers, top first: a package may use its own layer and those below it, never one above.
     * {@code agi} (the session API) and {@code agi.codec} sit below {@code handoff}, the server that hands calls back
     * above it; {@code qa} is the pure QA model, {@code qa.service} the service over the ACD.
     */
    static final List<Layer> LAYERS = List.of(
            new Layer("front ends", "dev.hotline.gateway.."),
            new Layer("app", "dev.hotline.app.."),
            new Layer("api", "dev.hotline.api.."),
            new Layer("calls", "dev.hotline.acd..", "dev.hotline.outbound..", "dev.hotline.qa.service.."),
            new Layer("services", "dev.hotline.callbacks..", "dev.hotline.directory.."),
            new Layer("ivr", "dev.hotline.ivr.."),
            new Layer("sessions", "dev.hotline.agi.server..", "dev.hotline.handoff.."),
            new Layer("protocols", "dev.hotline.agi", "dev.hotline.agi.codec..", "dev.hotline.ami.."),
            new Layer("records", "dev.hotline.records..", "dev.hotline.events..", "dev.hotline.ha..",
                    "dev.hotline.qa", "dev.hotline.qa.store..", "dev.hotline.metrics.."),
            new Layer("base", "dev.hotline.config..", "dev.hotline.yaml..", "dev.hotline.net..",
                    "dev.hotline.routing..", "dev.hotline.schedule.."));

    record Layer(String name, String... packages) {
    }

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hotline");
    }

    static ArchRule gatewayUsesTheApiOnly() {
        DescribedPredicate<JavaClass> allowed = resideOutsideOfPackage("dev.hotline..")
                .or(resideInAnyPackage(GATEWAY_MAY_USE))
                .or(belongToAnyOf(QueueKpis.class, Grouping.class));   // report rows, values only
        return classes().that().resideInAPackage("dev.hotline.gateway..")
                .should().onlyDependOnClassesThat(allowed.as("the engine API, its value packages and the feature"
                        + " services not yet narrowed (GatewayBoundaryTest.GATEWAY_MAY_USE)"));
    }

    static ArchRule noArrowRunsUpTheLayers() {
        Architectures.LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (Layer l : LAYERS) {
            arch = arch.layer(l.name()).definedBy(l.packages());
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            String[] above = LAYERS.subList(0, i).stream().map(Layer::name).toArray(String[]::new);
            arch = i == 0 ? arch.whereLayer(LAYERS.get(i).name()).mayNotBeAccessedByAnyLayer()
                    : arch.whereLayer(LAYERS.get(i).name()).mayOnlyBeAccessedByLayers(above);
        }
        return arch;
    }

    /**
     * No two packages use each other, except the cycles of today, named here to be removed: the outbound dialler's
     * port onto the ACD, and the IVR's loader / catalog and model / condition pairs.
     */
    static ArchRule noCycles() {
        return slices().matching("dev.hotline.(**)").should().beFreeOfCycles()
                .ignoreDependency(belongToAnyOf(dev.hotline.outbound.AcdPort.class),
                        resideInAnyPackage("dev.hotline.acd.."))
                .ignoreDependency(resideInAnyPackage("dev.hotline.ivr.validate.."),
                        resideInAnyPackage("dev.hotline.ivr.runtime.."))
                .ignoreDependency(resideInAnyPackage("dev.hotline.ivr.condition.."),
                        resideInAnyPackage("dev.hotline.ivr.model.."));
    }

    @Test
    void theGatewayReachesTheEngineThroughItsApiOnly() {
        gatewayUsesTheApiOnly().check(main);
    }

    @Test
    void noPackageUsesALayerAboveIt() {
        noArrowRunsUpTheLayers().check(main);
    }

    @Test
    void noPackagesUseEachOther() {
        noCycles().check(main);
    }

    @Test
    void theRulesSeeTheClassesTheyJudge() {
        assertThat(main.contain(dev.hotline.gateway.Gateway.class)).isTrue();
        assertThat(main.contain(dev.hotline.acd.Acd.class)).isTrue();
        assertThat(main.contain(dev.hotline.api.EngineApi.class)).isTrue();
    }

    // ------------------------------------------------------------------------------------------ the rules can fail

    @Test
    void aGatewayClassHoldingTheEngineBreaksTheBoundary() {
        JavaClasses fixture = new ClassFileImporter().importClasses(
                dev.hotline.gateway.boundary.fixture.HoldsTheEngine.class);
        var result = gatewayUsesTheApiOnly().evaluate(fixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anyMatch(d -> d.contains("dev.hotline.app.HotlineEngine"))
                .anyMatch(d -> d.contains("dev.hotline.acd.Acd"))
                .anyMatch(d -> d.contains("dev.hotline.routing.RoutingCore$WaitingCall"))
                .anyMatch(d -> d.contains("dev.hotline.ami.AmiConnection"))
                .anyMatch(d -> d.contains("AppDatabase"));
    }

    @Test
    void aLowerLayerImportingTheAcdRunsUpTheLayers() {
        // As callbacks did when call events lived in acd: a services-layer class using the calls layer.
        JavaClasses fixture = new ClassFileImporter().importClasses(
                dev.hotline.callbacks.boundaryfixture.ListensToTheAcd.class, dev.hotline.acd.Acd.class);
        var result = noArrowRunsUpTheLayers().evaluate(fixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anyMatch(d -> d.contains("ListensToTheAcd") && d.contains("dev.hotline.acd.Acd"));
    }

    @Test
    void twoPackagesUsingEachOtherAreACycle() {
        JavaClasses fixture = new ClassFileImporter().importClasses(
                dev.hotline.callbacks.boundaryfixture.ListensToTheAcd.class,
                dev.hotline.acd.boundaryfixture.AsksTheCallbacks.class);
        assertThat(noCycles().evaluate(fixture).hasViolation()).isTrue();
    }
}
