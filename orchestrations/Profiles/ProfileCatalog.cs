using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Orchestrations.Profiles;

/// <summary>
/// The regulation profiles shipped as embedded data files. A deployment runs one of them, chosen by configuration
/// (<c>Hotline:Profile</c>). Files are validated on load so that a bad edit fails at start, not at a deadline.
/// </summary>
public static class ProfileCatalog
{
    public const string DefaultProfileId = "fujian";

    private const string ResourcePrefix = "Hotline.Profiles.";
    private const string ReasonsResource = ResourcePrefix + "non-acceptance.json";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Lazy<IReadOnlyDictionary<string, RegulationProfile>> Embedded = new(LoadEmbedded);

    public static IReadOnlyCollection<string> Ids => Embedded.Value.Keys.ToArray();

    public static RegulationProfile Get(string id) =>
        Embedded.Value.TryGetValue(id, out var profile)
            ? profile
            : throw new KeyNotFoundException($"Unknown regulation profile '{id}'. Known: {string.Join(", ", Ids)}.");

    /// <summary>Parses and validates one profile file against a reason catalog.</summary>
    public static RegulationProfile Parse(string profileJson, IReadOnlyList<NonAcceptanceReason> catalog)
    {
        var profile = JsonSerializer.Deserialize<RegulationProfile>(profileJson, JsonOptions)
            ?? throw new FormatException("Empty profile file.");
        var reasons = profile.NonAcceptanceCodes.Select(choice =>
        {
            var known = catalog.FirstOrDefault(r => r.Code == choice.Code)
                ?? throw new FormatException($"Profile '{profile.Id}' names unknown non-acceptance reason '{choice.Code}'.");
            return known with { Basis = choice.Basis };
        }).ToArray();
        profile = profile with { NonAcceptance = reasons };
        Validate(profile);
        return profile;
    }

    public static IReadOnlyList<NonAcceptanceReason> ParseReasons(string json) =>
        JsonSerializer.Deserialize<NonAcceptanceReason[]>(json, JsonOptions) ?? throw new FormatException("Empty reason catalog.");

    private static void Validate(RegulationProfile p)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new FormatException($"Profile '{p.Id}': {what}.");
        }

        _ = p.Schedule; // validates the sessions
        // Upper bounds keep every deadline computable (the calendar walks at most ten years) and catch typos.
        Require(p.Dispatch.WorkingDays is >= 0 and <= 30, "dispatch.workingDays must be from 0 to 30");
        Require(p.SignOff.WorkingHours is > 0 and <= 7 * 24, "signOff.workingHours must be from 0 (excluded) to 168");
        Require(p.SignOff.ReminderBeforeMinutes >= 0 && p.SignOff.Window > p.SignOff.ReminderLead, "signOff.reminderBeforeMinutes must be shorter than the window");
        Require(p.Return.WorkingDays is >= 1 and <= 30, "return.workingDays must be from 1 to 30");
        Require(p.HandlingLimits.All(l => l.WorkingDays is >= 0 and <= RegulationProfile.MaxWorkingDays),
            $"handling limits must be from 0 to {RegulationProfile.MaxWorkingDays} working days");
        foreach (var type in Enum.GetValues<MatterType>())
        {
            Require(p.HandlingLimits.Any(l => l.Matches(type, Urgency.Normal, fastTrack: false)), $"no handling limit for {type}");
        }
        Require(p.FirstContact.All(c => c.WorkingDays is >= 0 and <= 30), "first-contact windows must be from 0 to 30 working days");
        Require(p.Extension.MaxCount is >= 0 and <= 10 && p.Extension.CutoffSessionsBefore is >= 1 and <= 20, "extension rule out of range");
        Require(p.Evaluation.WindowWorkingDays is >= 1 and <= 60, "evaluation.windowWorkingDays must be from 1 to 60");
        Require(p.Rehandling.SuperviseAtUnsatisfiedCount is >= 1 and <= 10 && p.Rehandling.SuperviseAtSentBackCount is >= 1 and <= 10, "rehandling counts must be from 1 to 10");
        Require(p.SameDay is not null, "sameDay is required");
        Require(p.SameDay!.Hours is >= 1 and <= 48 && p.SameDay.SignOffMinutes >= 1 && p.SameDay.SignOffWindow < p.SameDay.Window,
            "sameDay: hours from 1 to 48, and the sign-off window shorter than the handling window");
        Require(p.NonAcceptance.Count > 0, "no non-acceptance reasons");
        Require(p.NonAcceptance.Select(r => r.Code).Distinct().Count() == p.NonAcceptance.Count, "duplicate non-acceptance codes");
        var bases = new[] { p.Dispatch.Basis, p.SignOff.Basis, p.Return.Basis, p.StatutoryLimit.Basis, p.Extension.Basis,
            p.Evaluation.Basis, p.Rehandling.Basis, p.Supervision.Basis, p.Reply.Basis, p.SameDay.Basis }
            .Concat(p.HandlingLimits.Select(l => l.Basis)).Concat(p.FirstContact.Select(c => c.Basis)).Concat(p.NonAcceptance.Select(r => r.Basis));
        Require(bases.All(b => !string.IsNullOrWhiteSpace(b)), "every rule must name its basis");
        foreach (var problem in LongTermRules.Problems(p)) Require(false, problem);
        foreach (var problem in p.CoOrganizingProblems()) Require(false, problem);
    }

    private static Dictionary<string, RegulationProfile> LoadEmbedded()
    {
        var assembly = typeof(ProfileCatalog).Assembly;
        var reasons = ParseReasons(ReadResource(assembly, ReasonsResource));
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n != ReasonsResource)
            .Select(n => Parse(ReadResource(assembly, n), reasons))
            .ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Missing resource {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
