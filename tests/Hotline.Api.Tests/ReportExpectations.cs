using System.Globalization;
using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Api.Tests;

internal sealed record ExpectedRate(double? Value, int Of);

internal sealed record ExpectedUnit(
    string Organizer,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyDictionary<string, ExpectedRate> Rates,
    (double? Median, double? P90) HoursToSign,
    (double? Median, double? P90) HoursToComplete,
    double? Score,
    int? Rank,
    IReadOnlyList<AssignmentRecord> Behind);

internal sealed record ExpectedChange(string Key, int Count, int Previous, double? Change);

internal sealed record ExpectedRepeated(string Category, string District, string Address, IReadOnlyList<string> Matters);

/// <summary>
/// The report figures, worked out by the test from the generator's own records of what it did: the definitions are
/// restated here in plain terms (not by calling the assessment code), and working hours are counted here too.
/// </summary>
internal static class ReportExpectations
{
    public static readonly string[] CountNames =
    [
        "received", "signedOnTime", "returned", "returnsApproved", "contactDue", "contactedOnTime", "completed", "completedOnTime", "extended",
        "terminated", "evaluated", "satisfied", "handledAgain", "supervised", "solved", "explainedNotSolvable",
    ];

    public static readonly string[] RateNames = ["response", "returnApproval", "contact", "onTime", "satisfaction", "rehandling"];

    public static (IReadOnlyList<ExpectedUnit> Units, ExpectedUnit All) Organizers(IEnumerable<MatterRecord> matters, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset asOf, int minimum, IReadOnlyDictionary<string, double> weights)
    {
        var received = matters.SelectMany(m => m.Assignments).Where(a => from <= a.ReceivedAt && a.ReceivedAt < to).ToArray();
        var units = received.GroupBy(a => a.Organizer).Select(g => Unit(g.Key, [.. g], asOf, minimum, weights)).ToList();
        if (weights.Count > 0)
        {
            units = [.. units.Select(u => u with { Rank = u.Score is { } s ? 1 + units.Count(o => o.Score is { } other && other > s) : null })];
        }
        return (units, Unit("all", received, asOf, minimum, new Dictionary<string, double>()));
    }

    private static ExpectedUnit Unit(string organizer, AssignmentRecord[] a, DateTimeOffset asOf, int minimum, IReadOnlyDictionary<string, double> weights)
    {
        // The unit no longer owed the action once its return, filed by then, was approved or still undecided, or the matter was merged away.
        bool Released(AssignmentRecord x, DateTimeOffset deadline) =>
            (x.Return is ReturnState.Approved or ReturnState.Pending && x.ReturnAppliedAt <= deadline) || x.MergedAt <= deadline;

        var signedOnTime = a.Count(x => x.SignedAt <= x.SignBy);
        var dueToSign = a.Count(x => x.SignedAt is not null || (x.SignBy <= asOf && !Released(x, x.SignBy)));
        var returned = a.Count(x => x.ReturnsApplied > 0);
        var approved = a.Count(x => x.Return == ReturnState.Approved);
        var decided = a.Count(x => x.Return is ReturnState.Approved or ReturnState.Refused);
        var contactDue = a.Count(x => x.ContactBy is { } by && (x.ContactedAt is not null || (by <= asOf && !Released(x, by))));
        var contactedOnTime = a.Count(x => x.ContactedAt is { } at && at <= x.ContactBy);
        var completed = a.Count(x => x.CompletedAt is not null);
        var completedOnTime = a.Count(x => x.CompletedAt is not null && x.RepliedAt <= x.DueBy);
        var dueToComplete = a.Count(x => x.CompletedAt is not null ||
            (x.DueBy <= asOf && !Released(x, x.DueBy) && !(x.TerminatedAt <= x.DueBy) && !(x.UnderReviewSince <= x.DueBy)));
        var evaluated = a.Count(x => x.Evaluation is not null);
        var satisfied = a.Count(x => x.Evaluation is EvaluationResult.Satisfied or EvaluationResult.BasicallySatisfied);
        var handledAgain = a.Count(x => x.HandledAgain > 0);

        var counts = new Dictionary<string, int>
        {
            ["received"] = a.Length, ["signedOnTime"] = signedOnTime, ["returned"] = returned, ["returnsApproved"] = approved,
            ["contactDue"] = contactDue, ["contactedOnTime"] = contactedOnTime, ["completed"] = completed, ["completedOnTime"] = completedOnTime,
            ["extended"] = a.Count(x => x.Extensions > 0), ["terminated"] = a.Count(x => x.TerminatedAt is not null), ["evaluated"] = evaluated,
            ["satisfied"] = satisfied, ["handledAgain"] = handledAgain, ["supervised"] = a.Count(x => x.Supervised),
            // "Explained, not solvable now" is completed but never solved (Fujian 20(7); Weifang 20(3)).
            ["solved"] = a.Count(x => x.CompletedAt is not null && !x.Explained),
            ["explainedNotSolvable"] = a.Count(x => x.CompletedAt is not null && x.Explained),
        };
        var rates = new Dictionary<string, ExpectedRate>
        {
            ["response"] = Rate(signedOnTime, dueToSign, minimum),
            ["returnApproval"] = Rate(approved, decided, minimum),
            ["contact"] = Rate(contactedOnTime, contactDue, minimum),
            ["onTime"] = Rate(completedOnTime, dueToComplete, minimum),
            ["satisfaction"] = Rate(satisfied, evaluated, minimum),
            ["rehandling"] = Rate(handledAgain, completed, minimum),
        };
        double? score = null;
        if (weights.Count > 0 && weights.All(w => rates[w.Key].Value is not null))
        {
            var sum = weights.Sum(w => w.Value * (w.Key == "rehandling" ? 1 - rates[w.Key].Value!.Value : rates[w.Key].Value!.Value));
            score = Math.Round(100 * sum / weights.Values.Sum(), 2, MidpointRounding.AwayFromZero);
        }
        return new ExpectedUnit(organizer, counts, rates,
            Hours(a.Where(x => x.SignedAt is not null).Select(x => WorkingHours(x.ReceivedAt, x.SignedAt!.Value)), minimum),
            Hours(a.Where(x => x.CompletedAt is not null).Select(x => WorkingHours(x.ReceivedAt, x.RepliedAt!.Value)), minimum),
            score, null, a);
    }

    private static ExpectedRate Rate(int count, int of, int minimum) =>
        new(of == 0 || of < minimum ? null : Math.Round((double)count / of, 4, MidpointRounding.AwayFromZero), of);

    private static (double?, double?) Hours(IEnumerable<double> hours, int minimum)
    {
        var sorted = hours.Order().ToArray();
        if (sorted.Length == 0 || sorted.Length < minimum) return (null, null);
        var n = sorted.Length;
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        var p90 = sorted[(int)Math.Ceiling(0.9 * n) - 1]; // nearest rank
        return (Math.Round(median, 2, MidpointRounding.AwayFromZero), Math.Round(p90, 2, MidpointRounding.AwayFromZero));
    }

    /// <summary>
    /// Working hours between two instants: Monday to Friday, 09:00-12:00 and 13:30-17:30 in Beijing. The month simulated
    /// (late February to 3 April 2026) has no statutory holiday or adjusted working day after 28 February; the first is
    /// Qingming (4-6 April), listed here all the same.
    /// </summary>
    public static double WorkingHours(DateTimeOffset from, DateTimeOffset to)
    {
        var cst = TimeSpan.FromHours(8);
        var (a, b) = (from.ToOffset(cst), to.ToOffset(cst));
        DateOnly[] off = [new(2026, 4, 4), new(2026, 4, 5), new(2026, 4, 6)];
        var total = TimeSpan.Zero;
        for (var day = DateOnly.FromDateTime(a.DateTime); day <= DateOnly.FromDateTime(b.DateTime); day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || off.Contains(day)) continue;
            foreach (var (start, end) in new[] { (new TimeOnly(9, 0), new TimeOnly(12, 0)), (new TimeOnly(13, 30), new TimeOnly(17, 30)) })
            {
                var s = new DateTimeOffset(day.ToDateTime(start), cst);
                var e = new DateTimeOffset(day.ToDateTime(end), cst);
                var overlap = (e < b ? e : b) - (s > a ? s : a);
                if (overlap > TimeSpan.Zero) total += overlap;
            }
        }
        return total.TotalHours;
    }

    public static IReadOnlyList<ExpectedChange> Changes(IEnumerable<MatterRecord> matters, DateTimeOffset from, DateTimeOffset to, Func<MatterRecord, string> key)
    {
        var previousFrom = from - (to - from);
        var accepted = matters.Where(m => !m.Rejected).ToArray();
        var now = accepted.Where(m => from <= m.ReceivedAt && m.ReceivedAt < to).GroupBy(key).ToDictionary(g => g.Key, g => g.Count());
        var before = accepted.Where(m => previousFrom <= m.ReceivedAt && m.ReceivedAt < from).GroupBy(key).ToDictionary(g => g.Key, g => g.Count());
        return
        [
            .. now.Keys.Union(before.Keys).Select(k =>
            {
                var (c, p) = (now.GetValueOrDefault(k), before.GetValueOrDefault(k));
                return new ExpectedChange(k, c, p, p == 0 ? null : Math.Round((double)(c - p) / p, 4, MidpointRounding.AwayFromZero));
            }).OrderBy(c => c.Key, StringComparer.Ordinal),
        ];
    }

    /// <summary>Week (Monday, Beijing) and category → count, for accepted matters received in the period.</summary>
    public static IReadOnlyDictionary<(DateOnly Week, string Category), int> Weeks(IEnumerable<MatterRecord> matters, DateTimeOffset from, DateTimeOffset to) =>
        matters.Where(m => !m.Rejected && from <= m.ReceivedAt && m.ReceivedAt < to)
            .GroupBy(m =>
            {
                var day = DateOnly.FromDateTime(m.ReceivedAt.ToOffset(TimeSpan.FromHours(8)).DateTime);
                return (day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), m.Category);
            })
            .ToDictionary(g => g.Key, g => g.Count());

    /// <summary>
    /// Matters of one category at one place: linked when their addresses read the same without spaces and punctuation,
    /// or when they lie within 200 m, and all matters linked to each other form one place.
    /// </summary>
    public static IReadOnlyList<ExpectedRepeated> Repeated(IEnumerable<MatterRecord> matters, DateTimeOffset from, DateTimeOffset to)
    {
        var result = new List<ExpectedRepeated>();
        var inPeriod = matters.Where(m => !m.Rejected && from <= m.ReceivedAt && m.ReceivedAt < to);
        foreach (var category in inPeriod.GroupBy(m => m.Category))
        {
            var pending = category.ToList();
            while (pending.Count > 0)
            {
                var place = new List<MatterRecord> { pending[0] };
                pending.RemoveAt(0);
                for (var grew = true; grew;)
                {
                    var near = pending.Where(p => place.Any(q => SamePlace(p, q))).ToList();
                    grew = near.Count > 0;
                    place.AddRange(near);
                    pending.RemoveAll(near.Contains);
                }
                if (place.Count < 2) continue;
                var ordered = place.OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToArray();
                result.Add(new ExpectedRepeated(category.Key, ordered[0].District, ordered.Select(m => Key(m.Address)).FirstOrDefault(k => k.Length > 0) ?? "",
                    [.. ordered.Select(m => m.Id)]));
            }
        }
        return result;
    }

    private static bool SamePlace(MatterRecord a, MatterRecord b)
    {
        if (Key(a.Address) is { Length: > 0 } key && key == Key(b.Address)) return true;
        if (a.Lat is not { } lat1 || a.Lon is not { } lon1 || b.Lat is not { } lat2 || b.Lon is not { } lon2) return false;
        // Equirectangular distance: at 200 m it differs from the great circle by far less than the sites' spacing.
        var x = (lon2 - lon1) * Math.PI / 180 * Math.Cos((lat1 + lat2) / 2 * Math.PI / 180);
        var y = (lat2 - lat1) * Math.PI / 180;
        return Math.Sqrt(x * x + y * y) * 6_371_000 <= 200;
    }

    private static string Key(string? address) => address is null ? "" : new string([.. address.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    /// <summary>An RFC 4180 reader: quoted fields, doubled quotes, CRLF records.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) throw new FormatException("The last record does not end with CRLF.");
        return rows;
    }

    public static string Cell(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
