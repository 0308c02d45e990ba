using Hotline.Orchestrations.Lifecycle;

namespace Hotline.Runtime.Organizers;

/// <summary>Category (and optionally district) to the lead organizer and co-organizers. Certain routes dispatch at intake.</summary>
public sealed record RoutingRule(string Category, string? District, string Lead, IReadOnlyList<string>? CoOrganizers, bool Certain);

/// <summary>Where a matter should go, and whether that is certain enough to dispatch without a dispatcher.</summary>
public sealed record RouteDecision(string Lead, IReadOnlyList<string> CoOrganizers, bool Certain, string Basis);

/// <summary>
/// The routing rules of a deployment (data, <c>Data/routing.json</c>, manageable over the staff API). The most
/// specific rule wins (category and district over category alone); with no rule, the district's fallback
/// ("bottom") unit takes the matter, uncertainly, so a dispatcher confirms it (Fujian 16, 19).
/// </summary>
public sealed record RoutingTable(IReadOnlyList<RoutingRule> Rules, IReadOnlyDictionary<string, string> FallbackByDistrict, string? DefaultFallback)
{
    public static readonly RoutingTable Empty = new([], new Dictionary<string, string>(), null);

    public RouteDecision? Route(Intake intake)
    {
        var district = intake.Location.District;
        var rule = Rules.FirstOrDefault(r => Same(r.Category, intake.Category) && r.District is not null && Same(r.District, district))
            ?? Rules.FirstOrDefault(r => Same(r.Category, intake.Category) && r.District is null);
        if (rule is not null)
        {
            return new RouteDecision(rule.Lead, rule.CoOrganizers ?? [], rule.Certain,
                rule.District is null ? $"category {rule.Category}" : $"category {rule.Category} in {rule.District}");
        }
        var fallback = district is not null && FallbackByDistrict.TryGetValue(district, out var unit) ? unit : DefaultFallback;
        return fallback is null ? null : new RouteDecision(fallback, [], Certain: false, $"fallback unit for {district ?? "the city"}");
    }

    /// <summary>The route to dispatch at intake: urgent matters always (to the best route known), others only when certain.</summary>
    public Route? AutoDispatch(Intake intake) =>
        Route(intake) is { } decision && (decision.Certain || intake.Urgency == Urgency.Urgent)
            ? new Route(decision.Lead, decision.CoOrganizers)
            : null;

    /// <summary>Every unit the table names must be in the directory.</summary>
    public void Validate(OrganizerDirectory directory)
    {
        var named = Rules.SelectMany(r => (r.CoOrganizers ?? []).Append(r.Lead)).Concat(FallbackByDistrict.Values);
        if (DefaultFallback is not null) named = named.Append(DefaultFallback);
        var unknown = named.Where(u => directory.Find(u) is null).Distinct().ToArray();
        if (unknown.Length > 0) throw new FormatException($"Routing names units that are not in the directory: {string.Join(", ", unknown)}.");
        if (Rules.Any(r => string.IsNullOrWhiteSpace(r.Category) || string.IsNullOrWhiteSpace(r.Lead)))
            throw new FormatException("Every routing rule needs a category and a lead unit.");
    }

    private static bool Same(string a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
