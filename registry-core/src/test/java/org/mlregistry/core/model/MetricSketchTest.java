package org.mlregistry.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricSketchTest {

    @Test
    void keepsTheLowestAndHighestOfEachColumnAndLeavesNonFiniteValuesOut() {
        List<Metric> history = List.of(new Metric("m", 1, 0, 0), new Metric("m", 5, 0, 1), new Metric("m", Double.NaN, 0, 2),
                new Metric("m", Double.POSITIVE_INFINITY, 0, 3), new Metric("m", -2, 0, 9));
        MetricSketch sketch = MetricSketch.of("m", history, 4);
        assertThat(sketch.points()).isEqualTo(5);
        assertThat(sketch.firstStep()).isZero();
        assertThat(sketch.lastStep()).isEqualTo(9);
        assertThat(sketch.columns()).containsExactly(new MetricSketch.Column(0, 1, 5), new MetricSketch.Column(9, -2, -2));
    }

    @Test
    void spansArePowersOfTwoThatFitTheRange() {
        assertThat(MetricSketch.span(0, 0, 600)).isEqualTo(1);
        assertThat(MetricSketch.span(0, 599, 600)).isEqualTo(1);
        assertThat(MetricSketch.span(0, 600, 600)).isEqualTo(2);
        assertThat(MetricSketch.span(0, 99_999, 600)).isEqualTo(256);
        assertThat(MetricSketch.span(Long.MIN_VALUE, Long.MAX_VALUE, 600)).isEqualTo(Long.MAX_VALUE);
        assertThat(MetricSketch.span(0, Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void growingASketchGivesWhatSketchingTheWholeHistoryGives() {
        Random random = new Random(28);
        for (int trial = 0; trial < 200; trial++) {
            int columns = 1 + random.nextInt(50);
            List<Metric> history = new ArrayList<>();
            long step = random.nextInt(100) - 50;
            MetricSketch grown = null;
            for (int batch = 0; batch < 10; batch++) {
                List<Metric> more = new ArrayList<>();
                for (int i = random.nextInt(30); i > 0; i--) {
                    step += random.nextInt(40);
                    double value = random.nextInt(20) == 0 ? Double.NaN : random.nextGaussian();
                    more.add(new Metric("m", value, 0, step));
                }
                history.addAll(more);
                MetricSketch whole = MetricSketch.of("m", history, columns);
                grown = grown == null ? whole : grown.plus(more, columns).orElse(whole);
                assertThat(grown).as("trial " + trial + ", batch " + batch).isEqualTo(whole);
            }
        }
    }

    @Test
    void stepsFurtherApartThanALongHoldsAreSketchedWithoutColumnsNotAFailure() {
        List<Metric> history = List.of(new Metric("m", 1, 0, Long.MIN_VALUE), new Metric("m", 2, 0, 0));
        MetricSketch sketch = MetricSketch.of("m", history, 600);
        assertThat(sketch.points()).isEqualTo(2);
        assertThat(sketch.columns()).isEmpty();
        MetricSketch near = MetricSketch.of("m", List.of(new Metric("m", 1, 0, 0)), 600);
        assertThat(near.plus(List.of(new Metric("m", 2, 0, Long.MAX_VALUE)), 600)).hasValueSatisfying(s -> assertThat(s.columns())
                .hasSize(2));
        MetricSketch low = MetricSketch.of("m", List.of(new Metric("m", 1, 0, -5)), 600);
        assertThat(low.plus(List.of(new Metric("m", 2, 0, Long.MAX_VALUE)), 600)).isEmpty();
    }

    @Test
    void aPointBeforeTheFirstStepMeansSketchingAnew() {
        MetricSketch sketch = MetricSketch.of("m", List.of(new Metric("m", 1, 0, 10), new Metric("m", 2, 0, 20)), 8);
        assertThat(sketch.plus(List.of(new Metric("m", 3, 0, 5)), 8)).isEmpty();
        assertThat(sketch.plus(List.of(), 8)).contains(sketch);
    }
}
