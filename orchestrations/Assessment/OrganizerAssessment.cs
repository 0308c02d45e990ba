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
        var weights = options.EffectiveWeights();
        var received = assignments.Where(a => InPeriod(a.ReceivedAt, from, to)).ToArray();
        var coOrganizing = CoOrganizerAssessment.Compute(received, asOf);
        // A unit that only co-organized in the period has a row too: its parts are its record.
        var units = received.GroupBy(a => a.Organizer, StringComparer.Ordinal).Select(g => (g.Key, Lead: g.ToArray()))
            .Concat(coOrganizing.Keys.Where(u => !received.Any(a => a.Organizer == u)).Select(u => (Key: u, Lead: Array.Empty<AssignmentFacts>())))
            .Select(g => Figures(g.Key, g.Lead, asOf, calendar, options.MinimumForRates) with
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
        var all = Figures(AllOrganizers, received, asOf, calendar, options.MinimumForRates) with
        {
            CoOrganizing = CoOrganizerAssessment.Figures(received.SelectMany(a => a.Parts.Select(p => (a, p))), asOf),
        };
        return new OrganizerAssessmentResult(ordered, all, weights.Count > 0);
    }

    private static OrganizerFigures Figures(string organizer, AssignmentFacts[] a, DateTimeOffset asOf, WorkingCalendar calendar, int minimum)
    {
        int Count(Func<AssignmentFacts, bool> rule) => a.Count(rule);
        var completed = Count(Completed);
        var rates = new AssessmentRates(
            Response: Rate.From(Count(SignedOnTime), Count(x => DueToSign(x, asOf)), minimum),
            ReturnApproval: Rate.From(Count(ReturnApproved), Count(ReturnDecided), minimum),
            Contact: Rate.From(Count(ContactedOnTime), Count(x => DueToContact(x, asOf)), minimum),
            OnTime: Rate.From(Count(CompletedOnTime), Count(x => DueToComplete(x, asOf)), minimum),
            Satisfaction: Rate.From(Count(Satisfied), Count(Evaluated), minimum),
            Rehandling: Rate.From(Count(HandledAgain), completed, minimum));
        return new OrganizerFigures(
            organizer,
            Received: a.Length,
            SignedOnTime: Count(SignedOnTime),
            Returned: Count(Returned),
            ReturnsApproved: Count(ReturnApproved),
            ContactDue: Count(x => DueToContact(x, asOf)),
            ContactedOnTime: Count(ContactedOnTime),
            Completed: completed,
            CompletedOnTime: Count(CompletedOnTime),
            Extended: Count(Extended),
            Terminated: Count(Terminated),
            Evaluated: Count(Evaluated),
            Satisfied: Count(Satisfied),
            HandledAgain: Count(HandledAgain),
            Supervised: Count(Supervised),
            rates,
            Statistics.Hours(a.Select(x => TimeToSign(x, calendar)).OfType<TimeSpan>(), minimum),
            Statistics.Hours(a.Select(x => TimeToComplete(x, calendar)).OfType<TimeSpan>(), minimum))
        {
            Solved = Count(CoOrganizerAssessment.Solved),
            ExplainedNotSolvable = Count(CoOrganizerAssessment.ExplainedNotSolvable),
        };
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
