using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace ProductSearch.Benchmarks.Scan;

/// <summary>Runs <see cref="ScanBenchmarks"/> with a short in-process job, then prints our figure beside each baseline.</summary>
internal static class ScanSuite
{
    public static void Run(bool quick)
    {
        ScanBenchmarks.Quick = quick;
        // In-process: no generated project to build (and none to pick up tests/Directory.Build.props).
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 2 : 3)
            .WithIterationCount(quick ? 5 : 10)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 100 : 250));
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddColumn(StatisticColumn.Median)
            .WithOption(ConfigOptions.DisableLogFile, true)
            .WithOption(ConfigOptions.JoinSummary, true);
        var summary = BenchmarkRunner.Run<ScanBenchmarks>(config);
        PrintRatios(summary);
        AlignmentComparison.Run(quick);
    }

    private static void PrintRatios(Summary summary)
    {
        var medians = summary.Reports
            .Where(r => r.ResultStatistics is not null)
            .ToDictionary(
                r => (Shape: r.BenchmarkCase.Parameters["Shape"]!.ToString()!, Method: r.BenchmarkCase.Descriptor.WorkloadMethod.Name),
                r => r.ResultStatistics!.Median);
        var table = new ResultTable("Scan, top 4 (median per query)", "figure", "baseline");
        foreach (var shape in medians.Keys.Select(k => k.Shape).Distinct())
        {
            double Of(string method) => medians.TryGetValue((shape, method), out var ns) ? ns : double.NaN;
            table.Add($"{shape}: ours vs notebook, notebook/ours (goal >= 10x)", Of("Ours"), Of("Notebook"), Unit.Nanoseconds, RatioOf.BaselineOverFigure);
            table.Add($"{shape}: ours vs USearch exact, both cores, usearch/ours (goal >= 1x)", Of("Ours"), Of("USearch"), Unit.Nanoseconds, RatioOf.BaselineOverFigure);
            table.Add($"{shape}: ours vs USearch exact, one core, usearch/ours", Of("OursOneCore"), Of("USearchOneCore"), Unit.Nanoseconds, RatioOf.BaselineOverFigure);
            table.Add($"{shape}: ours vs memory floor, both cores, ours/floor (goal <= 1.3x)", Of("Ours"), Of("Floor"), Unit.Nanoseconds, RatioOf.FigureOverBaseline);
            table.Add($"{shape}: ours vs memory floor, one core, ours/floor", Of("OursOneCore"), Of("FloorOneCore"), Unit.Nanoseconds, RatioOf.FigureOverBaseline);
            table.Add($"{shape}: float16 vs float32 (ours, both cores), f16/f32", Of("OursFloat16"), Of("Ours"), Unit.Nanoseconds, RatioOf.FigureOverBaseline);
            table.Add($"{shape}: ours float16 vs notebook, notebook/ours", Of("OursFloat16"), Of("Notebook"), Unit.Nanoseconds, RatioOf.BaselineOverFigure);
            table.Add($"{shape}: ours float16 vs its own memory floor, ours/floor", Of("OursFloat16"), Of("FloorFloat16"), Unit.Nanoseconds, RatioOf.FigureOverBaseline);
            table.Add($"{shape}: ours int8 scan + float16 re-rank vs notebook, notebook/ours", Of("OursInt8"), Of("Notebook"), Unit.Nanoseconds, RatioOf.BaselineOverFigure);
            table.Add($"{shape}: ours int8 scan + float16 re-rank vs USearch exact, usearch/ours", Of("OursInt8"), Of("USearch"), Unit.Nanoseconds, RatioOf.BaselineOverFigure);
            table.Add($"{shape}: ours int8 scan vs its own memory floor, ours/floor", Of("OursInt8"), Of("FloorInt8"), Unit.Nanoseconds, RatioOf.FigureOverBaseline);
        }

        table.Print();
    }
}
