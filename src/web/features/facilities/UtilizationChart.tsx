/** The ECharts part of the utilization dashboard: loaded lazily (its own chunk), only the pieces used. */
import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export interface ChartSeries {
  labels: string[];
  booked: (number | null)[];
  used: (number | null)[];
  names: { booked: string; used: string; baseline: string; target: string };
}

export default function UtilizationChart({ labels, booked, used, names }: ChartSeries) {
  const pct = (x: number | null) => (x == null ? null : Math.round(x * 1000) / 10);
  const option = {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (v == null ? '—' : `${v}%`) },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { name: names.booked, type: 'bar', data: booked.map(pct), itemStyle: { color: '#91caff' }, barMaxWidth: 28 },
      {
        name: names.used,
        type: 'line',
        data: used.map(pct),
        smooth: true,
        itemStyle: { color: '#1677ff' },
        markLine: {
          symbol: 'none',
          data: [
            {
              yAxis: 35,
              name: names.baseline,
              lineStyle: { color: '#faad14', type: 'dashed' },
              label: { formatter: names.baseline, position: 'insideStartTop' },
            },
            { yAxis: 70, name: names.target, lineStyle: { color: '#52c41a', type: 'dashed' }, label: { formatter: names.target, position: 'insideStartTop' } },
          ],
        },
      },
    ],
  };
  return <ReactEChartsCore echarts={echarts} option={option} style={{ height: 300, width: '100%' }} notMerge />;
}
