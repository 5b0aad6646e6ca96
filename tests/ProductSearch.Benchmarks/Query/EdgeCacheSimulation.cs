using System.Globalization;

namespace ProductSearch.Benchmarks.Query;

/// <summary>
/// How many product-page views reach the origin behind an edge cache that follows the answers' own headers
/// (max-age 60 s, the default, or an hour): a month of views, arriving at random and spread over
/// 10,000 product pages by a Zipf law (a few popular products, a long tail), each asking its "more like this" by id.
/// A miss costs the origin a full search; a stale copy costs a 304 (in the background within stale-while-revalidate,
/// which changes only the shopper's wait, not the origin's count); a fresh hit costs nothing.
/// A model of one edge location with the catalogue unchanged, printed against no cache (every view a search).
/// What the origin's work costs follows the Flex Consumption on-demand rules: executions, plus the instance's memory
/// for as long as it is executing something, each activity period billed at least 1 s and rounded up to 100 ms.
/// </summary>
internal static class EdgeCacheSimulation
{
    private const int Products = 10_000;
    private const double MonthSeconds = 30 * 24 * 3600;

    // Flex Consumption on-demand list prices (USD, the pricing page in 2026) and the instance size the template deploys.
    private const double PricePerGigabyteSecond = 0.000026;
    private const double PricePerExecution = 0.40 / 1e6;
    private const double InstanceGigabytes = 2.048;
    private const double MinimumActivitySeconds = 1.0;
    private const double ActivityRoundingSeconds = 0.1;

    // How long the origin takes for each answer: p50 over HTTP at 10,000 images, from the 'conditional' benchmark.
    private const double SearchSeconds = 0.0033;
    private const double RevalidationSeconds = 0.00034;

    public static void Run(bool quick)
    {
        var cumulative = ZipfCumulative(Products, exponent: 1.0);
        Console.WriteLine();
        Console.WriteLine($"## An edge cache in front of by-id answers: {Products:N0} product pages, Zipf(1.0) views");
        Console.WriteLine("| views a month | edge max-age | fresh hits | origin searches (200) per million views | origin revalidations (304) per million views | instance active | origin cost a month | per million views |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var views in quick ? new[] { 100_000L, 1_000_000L } : new[] { 100_000L, 1_000_000L, 10_000_000L, 100_000_000L })
        {
            foreach (var maxAge in new[] { 0.0, 60.0, 3600.0 })
            {
                var month = Simulate(views, maxAge, cumulative, new Random(11));
                var cost = (month.Searches + month.Revalidations) * PricePerExecution + month.ActiveSeconds * InstanceGigabytes * PricePerGigabyteSecond;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {views:N0} | {(maxAge == 0 ? "no edge" : $"{maxAge} s")} | {100.0 * month.Fresh / views:0.0}% | {1e6 * month.Searches / views:N0} | {1e6 * month.Revalidations / views:N0} | {month.ActiveSeconds / 3600:N0} h | ${cost:N2} | ${cost * 1e6 / views:N2} |"));
            }
        }

        Console.WriteLine($"Prices: ${PricePerExecution * 1e6:0.00} per million executions, ${PricePerGigabyteSecond:0.000000} per GB-s of a {InstanceGigabytes * 1000:N0} MB instance, activity periods at least {MinimumActivitySeconds} s; before the monthly free grant, without the edge's own price.");
    }

    /// <summary>A month of views; max-age 0 stands for no edge cache (every view a search).</summary>
    private static SimulatedMonth Simulate(long views, double maxAgeSeconds, double[] cumulative, Random random)
    {
        var fetchedAt = new double[cumulative.Length];
        Array.Fill(fetchedAt, double.NegativeInfinity);
        var rate = views / MonthSeconds;
        var now = 0.0;
        var month = new SimulatedMonth();
        for (long i = 0; i < views; i++)
        {
            now += -Math.Log(1 - random.NextDouble()) / rate; // Poisson arrivals.
            var page = Array.BinarySearch(cumulative, random.NextDouble());
            page = page < 0 ? ~page : page;
            var age = now - fetchedAt[page];
            if (age < maxAgeSeconds)
            {
                month.Fresh++;
                continue;
            }

            if (double.IsInfinity(age) || maxAgeSeconds == 0)
            {
                month.Searches++; // Never cached here: the origin answers in full.
                month.Execute(now, SearchSeconds);
            }
            else
            {
                month.Revalidations++; // Stale (served at once, refreshed behind) or expired: either way a 304, nothing changed.
                month.Execute(now, RevalidationSeconds);
            }

            fetchedAt[page] = now;
        }

        month.Close();
        return month;
    }

    /// <summary>What reached the origin in a month, and for how long the instance was billed as active.</summary>
    private sealed class SimulatedMonth
    {
        private double _periodStart = double.NegativeInfinity;
        private double _periodEnd = double.NegativeInfinity;

        public long Fresh { get; set; }

        public long Searches { get; set; }

        public long Revalidations { get; set; }

        public double ActiveSeconds { get; private set; }

        // One instance (these answers take milliseconds, far below what one instance serves). An execution that starts
        // within the billed length of the current period (its 1 s minimum, rounded) belongs to it; a later one opens another.
        public void Execute(double start, double seconds)
        {
            if (double.IsNegativeInfinity(_periodStart) || start > BilledEnd())
            {
                Close();
                _periodStart = start;
            }

            _periodEnd = Math.Max(_periodEnd, start + seconds);
        }

        public void Close()
        {
            if (!double.IsNegativeInfinity(_periodStart))
            {
                ActiveSeconds += BilledEnd() - _periodStart;
            }

            _periodStart = _periodEnd = double.NegativeInfinity;
        }

        private double BilledEnd()
        {
            var length = Math.Max(MinimumActivitySeconds, _periodEnd - _periodStart);
            return _periodStart + (Math.Ceiling(length / ActivityRoundingSeconds) * ActivityRoundingSeconds);
        }
    }

    private static double[] ZipfCumulative(int count, double exponent)
    {
        var weights = Enumerable.Range(1, count).Select(rank => 1 / Math.Pow(rank, exponent)).ToArray();
        var total = weights.Sum();
        var cumulative = new double[count];
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += weights[i] / total;
            cumulative[i] = sum;
        }

        cumulative[^1] = 1;
        return cumulative;
    }
}
