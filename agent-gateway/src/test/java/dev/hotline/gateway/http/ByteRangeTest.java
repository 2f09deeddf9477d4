package dev.hotline.gateway.http;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangeTest {

    private static ByteRange.Answer of(String header, long size) {
        return ByteRange.of(Optional.ofNullable(header), size);
    }

    @Test
    void theRangesBrowsersSendForAudio() {
        assertThat(of("bytes=0-", 1000)).isEqualTo(new ByteRange.Answer.Partial(new ByteRange(0, 1000), 1000));
        assertThat(of("bytes=100-199", 1000)).isEqualTo(new ByteRange.Answer.Partial(new ByteRange(100, 100), 1000));
        assertThat(((ByteRange.Answer.Partial) of("bytes=100-199", 1000)).contentRange())
                .isEqualTo("bytes 100-199/1000");
        assertThat(of("bytes=900-5000", 1000)).isEqualTo(new ByteRange.Answer.Partial(new ByteRange(900, 100), 1000));
        assertThat(of("bytes=-300", 1000)).isEqualTo(new ByteRange.Answer.Partial(new ByteRange(700, 300), 1000));
        assertThat(of("bytes=-3000", 1000)).isEqualTo(new ByteRange.Answer.Partial(new ByteRange(0, 1000), 1000));
    }

    @Test
    void aRangePastTheEndIsUnsatisfiable() {
        assertThat(of("bytes=1000-", 1000)).isEqualTo(new ByteRange.Answer.Unsatisfiable(1000));
        assertThat(((ByteRange.Answer.Unsatisfiable) of("bytes=1000-", 1000)).contentRange()).isEqualTo("bytes */1000");
        assertThat(of("bytes=-0", 1000)).isEqualTo(new ByteRange.Answer.Unsatisfiable(1000));
        assertThat(of("bytes=0-", 0)).isEqualTo(new ByteRange.Answer.Unsatisfiable(0));
    }

    @Test
    void whatIsNotOneByteRangeGetsTheWholeFile() {
        assertThat(of(null, 1000)).isEqualTo(new ByteRange.Answer.Whole());
        assertThat(of("bytes=0-1,5-6", 1000)).isEqualTo(new ByteRange.Answer.Whole());
        assertThat(of("items=0-1", 1000)).isEqualTo(new ByteRange.Answer.Whole());
        assertThat(of("bytes=-", 1000)).isEqualTo(new ByteRange.Answer.Whole());
        assertThat(of("bytes=500-100", 1000)).isEqualTo(new ByteRange.Answer.Whole());
    }
}
