using Hotline.Orchestrations.Time;
using static Hotline.Orchestrations.Assessment.AssessmentRules;

namespace Hotline.Orchestrations.Assessment;

/// <summary>The names of the rates, as the API and the weights configuration spell them.</summary>
public static class RateNames
{
    public const string Response = "response";
    public const string ReturnApproval = "returnApproval";
    public const string Contact = "contact";
    public const string OnTime = "onTime";
    public const string Satisfaction = "satisfaction";
    public const string Rehandling = "rehandling";

    public static readonly IReadOnlyList<string> All = [Response, ReturnApproval, Contact, OnTime, Satisfaction, Rehandling];

    /// <summary>Rates where less is better: a score counts their complement.</summary>
    public static bool LowerIsBetter(string rate) => rate == Rehandling;
}

/// <param name="MinimumForRates">Below this many settled assignments a rate (and a median or p90) is null, "too few to rate".</param>
/// <param name="Weights">
/// Rate name → weight. Absent or empty: no score and no rank. National guidance on 12345 hotlines warns against ranking
/// units by one number, so a score exists only where the city decided its weights.
/// </param>
public sealed record AssessmentOptions(int MinimumForRates = 5, IReadOnlyDictionary<string, double>? Weights = null)
{
    /// <summary>The weights that count (positive), validated.</summary>
    /// <exception cref="ArgumentException">A weight names no rate, or is negative or not a number.</exception>
    public IReadOnlyDictionary<string, double> EffectiveWeights()
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, weight) in Weights ?? new Dictionary<string, double>())
        {
            var rate = RateNames.All.FirstOrDefault(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"Weight '{name}' names no rate; the rates are {string.Join(", ", RateNames.All)}.", nameof(Weights));
            if (!double.IsFinite(weight) || weight < 0) throw new ArgumentException($"The weight of '{name}' must be a number ≥ 0.", nameof(Weights));
            if (weight > 0) weights[rate] = weight;
        }
        return weights;
    }
}

public sealed record AssessmentRates(Rate Response, Rate ReturnApproval, Rate Contact, Rate OnTime, Rate Satisfaction, Rate Rehandling)
{
    public Rate this[string name] => name switch
    {
        RateNames.Response => Response,
        RateNames.ReturnApproval => ReturnApproval,
        RateNames.Contact => Contact,
        RateNames.OnTime => OnTime,
        RateNames.Satisfaction => Satisfaction,
        RateNames.Rehandling => Rehandling,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a rate."),
    };
}

/// <summary>One unit's figures for a period: counts of the assignments it received in the period, as they stand now.</summary>
public sealed record OrganizerFigures(
    string Organizer,
    int Received,
    int SignedOnTime,
    int Returned,
    int ReturnsApproved,
    int ContactDue,
    int ContactedOnTime,
    int Completed,
    int CompletedOnTime,
    int Extended,
    int Terminated,
    int Evaluated,
    int Satisfied,
    int HandledAgain,
    int Supervised,
    AssessmentRates Rates,
    HourFigures HoursToSign,
    HourFigures HoursToComplete,
    double? Score = null,
    int? Rank = null)
{
    /// <summary>Completed with a reply saying the matter is solved.</summary>
    public int Solved { get; init; }

    /// <summary>Completed with a reply saying the matter cannot be solved at present, the citizen contacted (Fujian 20(7); Weifang 20(3)).</summary>
    public int ExplainedNotSolvable { get; init; }

    /// <summary>The unit's parts as a co-organizer of other units' matters (Fujian 16, 30(4); Weifang 22).</summary>
    public CoOrganizerFigures CoOrganizing { get; init; } = CoOrganizerFigures.None;
}

/// <param name="All">The same figures over every unit together; never scored or ranked.</param>
public sealed record OrganizerAssessmentResult(IReadOnlyList<OrganizerFigures> Organizers, OrganizerFigures All, bool Weighted);

/// <summary>
/// The organizer assessment (Fujian 25; Weifang 27): per unit, the assignments it received in the period and how it
/// handled them, as they stand at <c>asOf</c>. Pure: the facts come in, the figures go out.
/// </summary>
public static class OrganizerAssessment
{
    public const string AllOrganizers = "all";

    public static OrganizerAssessmentResult Compute(IEnumerable<MatterFacts> facts, DateTimeOffset from, DateTimeOffset to, DateTimeOffset asOf,
        WorkingCalendar calendar, AssessmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Compute(facts.SelectMany(m => m.Assignments), from, to, asOf, calendar, options);
    }

    /// <param name="asOf">The instant the figures are read at: it decides which deadlines have passed.</param>
    public static OrganizerAssessmentResult Compute(IEnumerable<AssignmentFacts> assignments, DateTimeOffset from, DateTimeOffset to, DateTimeOffset asOf,
        WorkingCalendar calendar, AssessmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(options);
        var counters = new Dictionary<string, OrganizerCounters>(StringComparer.Ordinal);
        foreach (var a in assignments.Where(a => InPeriod(a.ReceivedAt, from, to)))
        {
            (counters.TryGetValue(a.Organizer, out var unit) ? unit : counters[a.Organizer] = new OrganizerCounters()).Add(OrganizerCounters.Of(a), 1);
        }
        return Compute(counters, asOf, calendar, options);
    }

    /// <summary>
    /// The same result from the counters of each unit's assignments of the period (<see cref="OrganizerCounters"/>), as
    /// the report counters keep them: the assignments themselves are not needed.
    /// </summary>
    /// <param name="byUnit">Each unit's counters of the assignments it received in the period (parts asked of others included).</param>
    public static OrganizerAssessmentResult Compute(IReadOnlyDictionary<string, OrganizerCounters> byUnit, DateTimeOffset asOf, WorkingCalendar calendar, AssessmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(byUnit);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(options);
        var weights = options.EffectiveWeights();
        var all = new OrganizerCounters();
        foreach (var unit in byUnit.Values) all.Add(unit, 1);
        var coOrganizing = all.CoOrganizers.ToDictionary(p => p.Key, p => p.Value.Figures(asOf), StringComparer.Ordinal);
        // A unit that only co-organized in the period has a row too: its parts are its record.
        var leads = byUnit.Where(u => u.Value.Received > 0).Select(u => (u.Key, Counters: u.Value)).ToArray();
        var units = leads
            .Concat(coOrganizing.Keys.Where(u => !leads.Any(l => l.Key == u)).Select(u => (Key: u, Counters: new OrganizerCounters())))
            .Select(g => g.Counters.Figures(g.Key, asOf, calendar, options.MinimumForRates) with
            {
                CoOrganizing = coOrganizing.GetValueOrDefault(g.Key, CoOrganizerFigures.None),
            })
            .Select(f => weights.Count == 0 ? f : f with { Score = Score(f.Rates, weights) })
            .ToArray();
        if (weights.Count > 0)
        {
            units = [.. units.Select(u => u with { Rank = u.Score is { } s ? 1 + units.Count(o => o.Score > s) : null })];
        }
        var ordered = units.OrderBy(u => u.Rank ?? int.MaxValue).ThenBy(u => u.Organizer, StringComparer.Ordinal).ToArray();
        var allParts = new PartCounters();
        foreach (var part in all.CoOrganizers.Values) allParts.Add(part, 1);
        var allFigures = all.Figures(AllOrganizers, asOf, calendar, options.MinimumForRates) with { CoOrganizing = allParts.Figures(asOf) };
        return new OrganizerAssessmentResult(ordered, allFigures, weights.Count > 0);
    }

    /// <summary>
    /// 0-100: the weighted mean of the weighted rates, counting the complement of a rate where less is better. Null
    /// when any weighted rate is "too few to rate": a score made of fewer ingredients for one unit than for another
    /// would not compare.
    /// </summary>
    public static double? Score(AssessmentRates rates, IReadOnlyDictionary<string, double> weights)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0) return null;
        double sum = 0, total = 0;
        foreach (var (name, weight) in weights)
        {
            if (rates[name].Value is not { } value) return null;
            sum += weight * (RateNames.LowerIsBetter(name) ? 1 - value : value);
            total += weight;
        }
        return Statistics.Round(100 * sum / total, 2);
    }
}
