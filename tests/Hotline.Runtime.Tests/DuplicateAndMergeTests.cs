using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

[Collection("Azurite")]
public sealed class DuplicateAndMergeTests(AzuriteFixture azurite)
{
    private static Intake At(string channelRef, string category, double lat, double lon, string phone, string address = "幸福路12号") =>
        IntakeOf(channelRef) with
        {
            Category = category,
            Location = new Location(address, "east", lat, lon),
            Citizen = new Citizen("某人", phone, false),
        };

    [Fact]
    public void Distances_and_address_keys()
    {
        Assert.InRange(DuplicateFinder.DistanceMeters(30.2500, 120.1600, 30.2509, 120.1600), 99, 101); // 0.0009 degrees of latitude
        Assert.Equal(DuplicateFinder.AddressKey("幸福路 12 号（东门）"), DuplicateFinder.AddressKey("幸福路12号(东门)"));
        Assert.NotEqual(DuplicateFinder.CitizenKey("13800001234"), DuplicateFinder.CitizenKey("13800001235"));
        Assert.Equal(DuplicateFinder.CitizenKey("138-0000-1234"), DuplicateFinder.CitizenKey("13800001234"));
    }

    [Fact]
    public async Task Intake_flags_the_same_category_nearby_and_the_same_citizen_but_not_others()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var intake = host.Get<IntakeService>();
        async Task<Matter> Submit(Intake i) => (await intake.SubmitAsync(CallCentre, i)).Outcome.State!;

        var first = await Submit(At("d-1", "water-pressure", 30.2500, 120.1600, "13800000001"));
        var nearby = await Submit(At("d-2", "water-pressure", 30.2510, 120.1600, "13800000002", "幸福路14号")); // ~111 m
        var far = await Submit(At("d-3", "water-pressure", 30.2700, 120.1600, "13800000003", "光明路1号"));  // ~2.2 km
        var otherCategory = await Submit(At("d-4", "housing", 30.2500, 120.1600, "13800000004"));
        var sameCitizen = await Submit(At("d-5", "housing", 30.3000, 120.2000, "13800000001", "别处"));
        var sameAddress = await Submit(At("d-6", "water-pressure", 30.4000, 120.4000, "13800000006", "幸福路 12 号"));

        Assert.Empty(first.PossibleDuplicates);
        Assert.Equal([first.Id], nearby.PossibleDuplicates);
        Assert.Empty(far.PossibleDuplicates);
        Assert.Empty(otherCategory.PossibleDuplicates);
        Assert.Equal([first.Id], sameCitizen.PossibleDuplicates);
        Assert.Equal([first.Id], sameAddress.PossibleDuplicates); // same address written differently, far by coordinates
    }

    [Fact]
    public async Task Merging_closes_the_duplicate_and_the_survivor_records_it_through_an_effect()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var survivor = await host.SubmitAsync("m-1");
        var duplicate = await host.SubmitAsync("m-2");

        await host.DoAsync(duplicate, new MergeInto(Dispatcher, survivor, "同一问题"));

        var store = host.Get<MatterStore>();
        Assert.Equal(MatterStatus.Merged, (await store.LoadAsync(duplicate))!.State.Status);
        Assert.Equal([duplicate], (await store.LoadAsync(survivor))!.State.AbsorbedDuplicates);
        Assert.Empty(await store.PendingEffectsAsync(duplicate));
        // Running the effect again (a crash before it was removed) changes nothing.
        var again = await host.Get<MatterService>().ExecuteAsync(survivor, new AbsorbDuplicate(Actor.System, duplicate));
        Assert.Equal(RefusalCodes.DuplicateKnown, again.Refusal!.Code);
    }

    [Fact]
    public async Task The_directory_is_seeded_once_and_a_stale_update_is_refused()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var store = host.Get<DirectoryStore>();
        var first = await store.RefreshAsync();
        Assert.Equal(2, first.Directory.All.Count);

        var parks = new OrganizerUnit("parks", new Orchestrations.Profiles.Text("园林局", "Parks"), new Contact("周办", "13900000005"), new Contact("吴局", "13900000006"), [], ["parks"]);
        var second = await store.SaveUnitAsync(parks, first.DirectoryVersion);
        Assert.NotNull(second.Directory.Find("parks"));
        await Assert.ThrowsAsync<StaleVersionException>(() => store.SaveUnitAsync(parks with { Categories = ["trees"] }, first.DirectoryVersion));

        // Another host sees the change when it refreshes; nobody re-seeds over it.
        await using var twin = host.Twin(azurite.ConnectionString);
        Assert.NotNull((await twin.Get<DirectoryStore>().RefreshAsync()).Directory.Find("parks"));
        await Assert.ThrowsAsync<FormatException>(() => store.SaveRoutingAsync(new RoutingTable([new RoutingRule("x", null, "nobody", null, true)], new Dictionary<string, string>(), null), second.RoutingVersion));
    }
}
