package org.mlregistry.core.http.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RangeRequestTest {

    @Test
    void answersTenThousandTinyRangesWithTheWholeFileWithoutParsingThem() {
        String header = "bytes=" + IntStream.range(0, 10_000).mapToObj(i -> i * 2 + "-" + i * 2).collect(Collectors.joining(","));
        assertThat(RangeRequest.parse(header, 1_000_000).kind()).isEqualTo(RangeRequest.Kind.WHOLE);
    }

    @Test
    void coalescesOverlappingAndAdjacentRangesInFileOrder() {
        RangeRequest r = RangeRequest.parse("bytes=50-59, 0-9,10-19,5-7,-10", 100);
        assertThat(r.kind()).isEqualTo(RangeRequest.Kind.PARTIAL);
        assertThat(r.ranges()).containsExactly(new ByteRange(0, 19), new ByteRange(50, 59), new ByteRange(90, 99));
    }

    @Test
    void treatsNumbersBeyondLongAsInfinite() {
        assertThat(RangeRequest.parse("bytes=0-99999999999999999999999", 10).ranges()).containsExactly(new ByteRange(0, 9));
        assertThat(RangeRequest.parse("bytes=-99999999999999999999999", 10).ranges()).containsExactly(new ByteRange(0, 9));
        assertThat(RangeRequest.parse("bytes=99999999999999999999999-", 10).kind()).isEqualTo(RangeRequest.Kind.UNSATISFIABLE);
    }

    @Test
    void handlesOffsetsBeyond4GiB() {
        long size = 5L << 30;
        assertThat(RangeRequest.parse("bytes=4294967296-4294967299", size).ranges())
                .containsExactly(new ByteRange(4294967296L, 4294967299L));
        assertThat(RangeRequest.parse("bytes=-1", size).ranges()).containsExactly(new ByteRange(size - 1, size - 1));
    }

    @Test
    void findsNothingSatisfiableInAnEmptyFile() {
        assertThat(RangeRequest.parse("bytes=0-", 0).kind()).isEqualTo(RangeRequest.Kind.UNSATISFIABLE);
        assertThat(RangeRequest.parse("bytes=-5", 0).kind()).isEqualTo(RangeRequest.Kind.UNSATISFIABLE);
    }

    @Test
    void ignoresASetWithOneInvalidSpec() {
        assertThat(RangeRequest.parse("bytes=0-1,x-2", 10).kind()).isEqualTo(RangeRequest.Kind.WHOLE);
        assertThat(RangeRequest.parse("bytes= , ", 10).kind()).isEqualTo(RangeRequest.Kind.WHOLE);
    }
}
