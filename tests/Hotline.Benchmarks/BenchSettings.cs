using System.Globalization;

namespace Hotline.Benchmarks;

/// <summary>How big a run is. <c>--quick</c> is a smoke run; the default is the run whose figures are reported.</summary>
internal sealed record BenchSettings
{
    public required bool Quick { get; init; }

    /// <summary>Concurrent writers in scenarios 1 and 2 (closed loop: each waits for its answer before the next).</summary>
    public required int Concurrency { get; init; }

    public required TimeSpan Warmup { get; init; }

    public required TimeSpan Window { get; init; }

    /// <summary>Future alarms pre-loaded into the index before the pump starts (none of them may fire).</summary>
    public required int PendingAlarms { get; init; }

    /// <summary>Real matters whose sign-off reminders fall due one after another during the run.</summary>
    public required int SpreadMatters { get; init; }

    /// <summary>When the first of them falls due, after the pump starts.</summary>
    public required TimeSpan SpreadLead { get; init; }

    /// <summary>Over how long their instants are spread, evenly.</summary>
    public required TimeSpan SpreadLength { get; init; }

    /// <summary>Real matters whose reminders all fall due at one instant, after the spread ones.</summary>
    public required int BurstMatters { get; init; }

    /// <summary>
    /// Staff index rows of earlier matters (received over the past week) put in place before scenario 2: intake
    /// searches the index for possible duplicates, so its cost depends on how full the index is.
    /// </summary>
    public int SeedIndex { get; init; }

    /// <summary>Which scenarios run (digits 1 to 4); scenario 2 brings scenario 1 with it, as its reference.</summary>
    public string Scenarios { get; init; } = "1234";

    /// <summary>Matters of one month in the projections for scenario 4, the reports (also in a quick run: it is the figure asked for).</summary>
    public int ReportMatters { get; init; } = 100_000;

    public bool Runs(int scenario) => Scenarios.Contains((char)('0' + scenario), StringComparison.Ordinal);

    public static BenchSettings Parse(string[] args)
    {
        var quick = args.Contains("--quick", StringComparer.Ordinal);
        var settings = quick
            ? new BenchSettings
            {
                Quick = true,
                Concurrency = 16,
                Warmup = TimeSpan.FromSeconds(1),
                Window = TimeSpan.FromSeconds(4),
                PendingAlarms = 10_000,
                SpreadMatters = 60,
                SpreadLead = TimeSpan.FromSeconds(2),
                SpreadLength = TimeSpan.FromSeconds(5),
                BurstMatters = 40,
            }
            : new BenchSettings
            {
                Quick = false,
                Concurrency = 16,
                Warmup = TimeSpan.FromSeconds(5),
                Window = TimeSpan.FromSeconds(30),
                PendingAlarms = 100_000,
                SpreadMatters = 300,
                SpreadLead = TimeSpan.FromSeconds(20),
                SpreadLength = TimeSpan.FromSeconds(40),
                BurstMatters = 200,
            };
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--concurrency" when i + 1 < args.Length:
                    settings = settings with { Concurrency = PositiveInt(args[++i], "--concurrency") };
                    break;
                case "--seconds" when i + 1 < args.Length:
                    settings = settings with { Window = TimeSpan.FromSeconds(PositiveInt(args[++i], "--seconds")) };
                    break;
                case "--scenarios" when i + 1 < args.Length && args[i + 1].Length > 0 && args[i + 1].All(c => c is >= '1' and <= '4'):
                    settings = settings with { Scenarios = args[++i] };
                    break;
                case "--seed-index" when i + 1 < args.Length:
                    settings = settings with { SeedIndex = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--report-matters" when i + 1 < args.Length:
                    settings = settings with { ReportMatters = PositiveInt(args[++i], "--report-matters") };
                    break;
                case "--pending-alarms" when i + 1 < args.Length:
                    settings = settings with { PendingAlarms = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: [--quick] [--scenarios 1234] [--concurrency N] [--seconds N] [--seed-index N] [--pending-alarms N] [--report-matters N]");
            }
        }
        return settings;
    }

    private static int PositiveInt(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} takes a positive integer.");

    /// <summary>A short unique token for table prefixes, so scenarios never share a table.</summary>
    public static string RunId() => Guid.NewGuid().ToString("N")[..8];
}
