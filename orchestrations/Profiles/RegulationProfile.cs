using Hotline.Orchestrations.Lifecycle;
using System.Text.Json.Serialization;
using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Profiles;

// A regulation profile is data (Profiles/*.json): each rule carries the article it comes from in `Basis`,
// so a reviewer can check the number against the regulation without reading code.

public sealed record Text(string Zh, string En)
{
    public string In(string language) => language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Zh : En;
}

public sealed record SessionSpec(TimeOnly Start, TimeOnly End);

public sealed record DispatchRule(int WorkingDays, string Basis);

public sealed record SignOffRule(double WorkingHours, int ReminderBeforeMinutes, string Basis)
{
    public TimeSpan Window => TimeSpan.FromHours(WorkingHours);
    public TimeSpan ReminderLead => TimeSpan.FromMinutes(ReminderBeforeMinutes);
}

public sealed record ReturnRule(int WorkingDays, bool DesignatedUnitMayReturn, bool SuperviseWhenRefused, string Basis);

/// <summary>A handling time limit. Null selectors match anything; the most specific matching rule wins.</summary>
public sealed record HandlingLimit(MatterType? Type, Urgency? Urgency, bool? FastTrack, int WorkingDays, string Basis)
{
    public bool Matches(MatterType type, Urgency urgency, bool fastTrack) =>
        (Type is null || Type == type) && (Urgency is null || Urgency == urgency) && (FastTrack is null || FastTrack == fastTrack);

    // Urgency outranks type and list: an urgent matter is due the same day whatever else applies (Fujian 20(5)).
    public int Specificity => (Type is null ? 0 : 1) + (Urgency is null ? 0 : 4) + (FastTrack is null ? 0 : 2);
}

public sealed record FirstContactRule(MatterType? Type, int WorkingDays, string Basis);

/// <summary>How a limit set by a law or regulation for the specific matter relates to the profile's limit.</summary>
public sealed record StatutoryLimitRule(bool ShorterPrevails, bool LongerPrevails, string Basis);

/// <param name="TotalMaxIsOriginalLimit">The extensions of one unit in one handling round together may not exceed the original
/// limit either (the reading of "the extension may not exceed the original limit" that counts their sum).</param>
public sealed record ExtensionRule(int MaxCount, bool MaxLengthIsOriginalLimit, int CutoffSessionsBefore, string Basis, bool TotalMaxIsOriginalLimit = false);

/// <summary>
/// The clocks of a "same day" matter (a handling limit of 0 working days: urgent matters, Fujian 20(5)). Its organizer is
/// phoned to sign (Fujian 14), so the sign-off window is its own, shorter than the handling window; a round-the-clock
/// profile counts both in calendar time, so an urgent matter received on a Saturday does not wait for Monday.
/// </summary>
/// <param name="RoundTheClock">Count in calendar time (weekends and holidays included); otherwise in working time.</param>
/// <param name="SignOffMinutes">From dispatch to the sign-off deadline.</param>
/// <param name="Hours">From dispatch to the handling deadline. The extension cutoff lies halfway.</param>
public sealed record SameDayRule(bool RoundTheClock, int SignOffMinutes, int Hours, string Basis)
{
    public TimeSpan SignOffWindow => TimeSpan.FromMinutes(SignOffMinutes);
    public TimeSpan Window => TimeSpan.FromHours(Hours);
}

public sealed record EvaluationRule(int WindowWorkingDays, string Basis);

public sealed record RehandlingRule(int SuperviseAtUnsatisfiedCount, int SuperviseAtSentBackCount, string Basis);

public sealed record SupervisionRule(bool OnSignOffOverdue, bool OnContactOverdue, bool OnHandlingOverdue, string Basis);

public sealed record ReplyRule(IReadOnlyList<MatterType> EvidenceRequiredFor, string Basis);

/// <summary>A reason not to accept a matter, with the guidance the citizen is given (which channel to use instead).</summary>
public sealed record NonAcceptanceReason(string Code, Text Reason, Text Guidance, string Basis);

public sealed record NonAcceptanceChoice(string Code, string Basis);

public sealed partial record RegulationProfile(
    string Id,
    string Name,
    string Document,
    IReadOnlyList<SessionSpec> WorkingSessions,
    DispatchRule Dispatch,
    SignOffRule SignOff,
    ReturnRule Return,
    IReadOnlyList<HandlingLimit> HandlingLimits,
    IReadOnlyList<string> FastTrackCategories,
    IReadOnlyList<FirstContactRule> FirstContact,
    StatutoryLimitRule StatutoryLimit,
    ExtensionRule Extension,
    EvaluationRule Evaluation,
    RehandlingRule Rehandling,
    SupervisionRule Supervision,
    ReplyRule Reply,
    [property: JsonPropertyName("nonAcceptance")] IReadOnlyList<NonAcceptanceChoice> NonAcceptanceCodes,
    IReadOnlyList<string> Unconfirmed,
    SameDayRule SameDay,
    LongRunningRule? LongRunning = null,
    LegalProcedureRule? LegalProcedure = null,
    EscalationRule? Escalation = null)
{
    /// <summary>No limit (profile, statutory or extension) may exceed this many working days: about a year and a half.</summary>
    public const int MaxWorkingDays = 365;

    /// <summary>The profile's non-acceptance reasons with their texts, filled in from the shared catalog by <see cref="ProfileCatalog"/>.</summary>
    [JsonIgnore]
    public IReadOnlyList<NonAcceptanceReason> NonAcceptance { get; init; } = [];

    public WorkingDaySchedule Schedule =>
        new(WorkingSessions.Select(s => new WorkingSession(s.Start, s.End)).ToArray());

    public bool IsFastTrack(string category) => FastTrackCategories.Contains(category, StringComparer.OrdinalIgnoreCase);

    /// <summary>The handling limit in working days for a matter; 0 means "the same day".</summary>
    public HandlingLimit HandlingLimitFor(MatterType type, Urgency urgency, string category)
    {
        var fastTrack = IsFastTrack(category);
        return HandlingLimits
            .Where(l => l.Matches(type, urgency, fastTrack))
            .OrderByDescending(l => l.Specificity)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"Profile '{Id}' has no handling limit for {type}/{urgency}.");
    }

    /// <summary>The limit that applies once a statutory limit for this matter is taken into account.</summary>
    public int EffectiveLimit(int profileLimit, int? statutoryLimit) => statutoryLimit switch
    {
        null => profileLimit,
        int s when s < profileLimit && StatutoryLimit.ShorterPrevails => s,
        int s when s > profileLimit && StatutoryLimit.LongerPrevails => s,
        _ => profileLimit,
    };

    /// <summary>The first-contact window in working days, if the profile sets one for this type.</summary>
    public FirstContactRule? FirstContactFor(MatterType type) =>
        FirstContact.FirstOrDefault(c => c.Type == type) ?? FirstContact.FirstOrDefault(c => c.Type is null);

    public bool EvidenceRequired(MatterType type) => Reply.EvidenceRequiredFor.Contains(type);

    public NonAcceptanceReason? NonAcceptanceReason(string code) =>
        NonAcceptance.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal));
}
