using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime.Organizers;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

public sealed class RoutingTests
{
    private static readonly RoutingTable Table = new(
        [
            new RoutingRule("water-pressure", null, "water", null, Certain: true),
            new RoutingRule("street-vending", "east", "housing", ["water"], Certain: true),
            new RoutingRule("construction-noise", null, "housing", null, Certain: false),
        ],
        new Dictionary<string, string> { ["east"] = "housing" },
        DefaultFallback: null);

    private static Intake Of(string category, string? district = "east", Urgency urgency = Urgency.Normal) =>
        IntakeOf("x") with { Category = category, Urgency = urgency, Location = new Location("幸福路1号", district, null, null) };

    [Fact]
    public void The_most_specific_rule_wins_and_certain_routes_dispatch_at_intake()
    {
        var water = Table.AutoDispatch(Of("water-pressure"))!;
        Assert.Equal("water", water.Organizer);
        Assert.Empty(water.CoOrganizers);
        var vending = Table.Route(Of("street-vending"))!;
        Assert.Equal("housing", vending.Lead);
        Assert.Equal(["water"], vending.CoOrganizers);
        Assert.Null(Table.AutoDispatch(Of("construction-noise")));
    }

    [Fact]
    public void Unclear_ownership_goes_to_the_districts_fallback_unit_for_a_dispatcher_to_confirm_Fujian_art_16()
    {
        var route = Table.Route(Of("neighbourhood-dispute"))!;
        Assert.Equal("housing", route.Lead);
        Assert.False(route.Certain);
        Assert.Null(Table.AutoDispatch(Of("neighbourhood-dispute")));
        Assert.Null(Table.Route(Of("neighbourhood-dispute", district: "west")));
    }

    [Fact]
    public void Urgent_matters_dispatch_at_intake_even_on_an_uncertain_route_Fujian_art_14()
    {
        Assert.Equal("housing", Table.AutoDispatch(Of("construction-noise", urgency: Urgency.Urgent))!.Organizer);
        Assert.Equal("housing", Table.AutoDispatch(Of("neighbourhood-dispute", urgency: Urgency.Urgent))!.Organizer);
    }

    [Fact]
    public void A_table_naming_an_unknown_unit_is_refused()
    {
        var bad = Table with { DefaultFallback = "parks" };
        var ex = Assert.Throws<FormatException>(() => bad.Validate(RuntimeHarness.Directory));
        Assert.Contains("parks", ex.Message, StringComparison.Ordinal);
        Table.Validate(RuntimeHarness.Directory);
    }

    [Fact]
    public void The_shipped_directory_and_routing_of_the_sample_city_agree()
    {
        var root = Hotline.Testing.AzuriteInstance.FindRepositoryRoot();
        var data = Path.Combine(root.FullName, "functions", "Hotline.LocalHost", "Data");
        var directory = OrganizerDirectory.Parse(File.ReadAllText(Path.Combine(data, "organizers.json")));
        var routing = System.Text.Json.JsonSerializer.Deserialize<RoutingTable>(File.ReadAllText(Path.Combine(data, "routing.json")), HotlineJson.Options)!;
        routing.Validate(directory);
        Assert.All(directory.All.SelectMany(u => u.Categories), c => Assert.Contains(routing.Rules, r => r.Category == c));
        Assert.NotNull(ProfileCatalog.Get("fujian"));
    }
}
