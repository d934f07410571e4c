package org.mlregistry.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlregistry.core.model.Metric;
import org.mlregistry.core.model.MetricSketch;
import org.mlregistry.web.view.Chart;

class ChartsTest {

    @Test
    void drawsValuesAtTheEndsOfTheDoubleRangeInsideTheChart() {
        MetricSketch sketch = MetricSketch.of("m", List.of(new Metric("m", 1e308, 0, 0), new Metric("m", -1e308, 0, 1),
                new Metric("m", 0, 0, 2)), Charts.COLUMNS);
        Chart chart = Charts.chart("m", List.of(new Charts.History("run", sketch)));
        String points = chart.lines().get(0).points();
        assertThat(points).doesNotContain("NaN").doesNotContain("Infinity");
        for (String pair : points.split(" ")) {
            double y = Double.parseDouble(pair.split(",")[1]);
            assertThat(y).isBetween(0.0, (double) Chart.HEIGHT);
        }
    }

    @Test
    void overlaysRunsOnOneScaleAndDrawsAnEmptyHistoryAsNoLine() {
        MetricSketch a = MetricSketch.of("m", List.of(new Metric("m", 0, 0, 0), new Metric("m", 1, 0, 100)), Charts.COLUMNS);
        MetricSketch b = MetricSketch.of("m", List.of(new Metric("m", 2, 0, 50)), Charts.COLUMNS);
        MetricSketch none = MetricSketch.of("m", List.of(), Charts.COLUMNS);
        Chart chart = Charts.chart("m", List.of(new Charts.History("a", a), new Charts.History("b", b), new Charts.History("c", none)));
        assertThat(chart.lines()).extracting(Chart.Line::points).containsExactly("0.0,200.0 600.0,100.0", "300.0,0.0", "");
        assertThat(chart.summary()).isEqualTo("m: 3 points from step 0 to 100, between 0 and 2");
    }
}
