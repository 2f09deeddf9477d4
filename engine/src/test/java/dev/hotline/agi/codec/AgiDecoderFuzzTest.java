package dev.hotline.agi.codec;

import dev.hotline.agi.testing.Fuzz;
import dev.hotline.agi.testing.Transcript;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzes the decoder with random bytes and with real transcripts mutated, each written in random pieces.
 * Whatever comes in: the only exception is an {@link AgiProtocolException} (which closes the session), only
 * {@link AgiInbound} messages come out, every input buffer is released (no leak), and decoding ends.
 */
@Tag("slow")
class AgiDecoderFuzzTest {

    private static final List<String> TRANSCRIPTS = List.of("01_originate_fastagi_normal.txt",
            "02_originate_fastagi_caller_hangs_up.txt", "03_originate_fastagi_exitonhangup.txt",
            "04_originate_fastagi_errors.txt", "05_originate_fastagi_with_args.txt",
            "r01_redirect_during_wait_for_digit.txt", "r01_second_session_connect.txt");

    @Test
    void mutatedTranscripts() {
        List<byte[]> bases = TRANSCRIPTS.stream()
                .map(t -> Transcript.load(t).bytesFromAsterisk().getBytes(StandardCharsets.UTF_8)).toList();
        for (long seed = 0; seed < 3000; seed++) {
            Random r = new Random(seed);
            byte[] input = Fuzz.mutate(r, bases.get(r.nextInt(bases.size())));
            feed(seed, input, Fuzz.cuts(r, input.length));
        }
    }

    @Test
    void randomBytes() {
        for (long seed = 0; seed < 3000; seed++) {
            Random r = new Random(seed);
            byte[] input = Fuzz.randomBytes(r, 3000);
            feed(seed, input, Fuzz.cuts(r, input.length));
        }
    }

    private static void feed(long seed, byte[] input, int[] cuts) {
        EmbeddedChannel ch = new EmbeddedChannel(new AgiDecoder(512, 2048));
        List<ByteBuf> written = new ArrayList<>();
        int from = 0;
        int[] all = java.util.Arrays.copyOf(cuts, cuts.length + 1);
        all[cuts.length] = input.length;
        for (int cut : all) {
            if (cut < from) {
                continue;
            }
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(Math.max(1, cut - from));
            buf.writeBytes(input, from, cut - from);
            written.add(buf);
            from = cut;
            try {
                ch.writeInbound(buf);
            } catch (AgiProtocolException e) {
                assertThat(e.getMessage()).as("seed %d", seed).isNotBlank();
                assertThat(e.reason()).as("seed %d", seed).isNotBlank();
            } catch (RuntimeException e) {
                fail("seed " + seed + ": unexpected " + e, e);
            }
        }
        Object m;
        while ((m = ch.readInbound()) != null) {
            assertThat(m).as("seed %d", seed).isInstanceOf(AgiInbound.class);
        }
        try {
            ch.finishAndReleaseAll();
        } catch (AgiProtocolException ignored) {
            // a protocol error at end of input is fine
        }
        for (ByteBuf b : written) {
            assertThat(b.refCnt()).as("seed %d: input buffer released", seed).isZero();
        }
    }
}
