using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Store;
using Hotline.Testing;
using static Hotline.Runtime.Tests.RuntimeHarness;

namespace Hotline.Runtime.Tests;

[Collection("Azurite")]
public sealed class IntakeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_same_channel_reference_twice_gives_the_same_matter_once()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var intake = host.Get<IntakeService>();
        var first = await intake.SubmitAsync(CallCentre, IntakeOf("wx/ref?#1"));
        var second = await intake.SubmitAsync(CallCentre, IntakeOf("wx/ref?#1"));
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Outcome.State!.Id, second.Outcome.State!.Id);
        Assert.Equal(1, second.Outcome.State.Version);
    }

    [Fact]
    public async Task Racing_submissions_of_one_reference_from_two_hosts_create_one_matter()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        await using var twin = host.Twin(azurite.ConnectionString);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? host : twin).Get<IntakeService>().SubmitAsync(CallCentre, IntakeOf("race-1"))));
        Assert.Single(outcomes.Select(o => o.Outcome.State!.Id).Distinct());
        Assert.Equal(1, outcomes.Count(o => o.Created));
    }

    [Fact]
    public async Task A_refused_intake_leaves_no_reservation_behind()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var intake = host.Get<IntakeService>();
        var bad = IntakeOf("bad-1") with { Title = " " };
        var refused = await intake.SubmitAsync(CallCentre, bad);
        Assert.Equal(RefusalCodes.InvalidInput, refused.Outcome.Refusal!.Code);

        var corrected = await intake.SubmitAsync(CallCentre, IntakeOf("bad-1"));
        Assert.True(corrected.Created);
    }

    [Fact]
    public async Task A_reservation_whose_matter_was_never_committed_is_completed_by_the_retry()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        // A crash between reserving the reference and committing the matter leaves only the reservation.
        var (partition, row) = IntakeService.ReservationKey(CallCentre, IntakeOf("crash-1"));
        await host.Get<HotlineTables>().Intake.AddEntityAsync(new Azure.Data.Tables.TableEntity(partition, row)
        {
            ["MatterId"] = "20260302CRASHED1",
            ["Fingerprint"] = IntakeService.Fingerprint(IntakeOf("crash-1")),
        });

        var retry = await host.Get<IntakeService>().SubmitAsync(CallCentre, IntakeOf("crash-1"));
        Assert.True(retry.Created);
        Assert.Equal("20260302CRASHED1", retry.Outcome.State!.Id);
    }

    [Fact]
    public async Task References_are_per_channel_system_and_a_different_report_under_one_is_refused()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var intake = host.Get<IntakeService>();
        var first = await intake.SubmitAsync(CallCentre, IntakeOf("per-system-1"));
        var other = await intake.SubmitAsync(Actor.ChannelSystem("wechat-backend"), IntakeOf("per-system-1"));
        Assert.True(first.Created && other.Created);
        Assert.NotEqual(first.Outcome.State!.Id, other.Outcome.State!.Id);

        var changed = await intake.SubmitAsync(CallCentre, IntakeOf("per-system-1") with { Title = "另一件事" });
        Assert.Equal(RefusalCodes.IntakeConflict, changed.Outcome.Refusal!.Code);
        Assert.Null(changed.Outcome.State);
    }

    [Fact]
    public async Task A_save_that_fails_removes_its_reservation()
    {
        await using var host = await StartAsync(azurite.ConnectionString);
        var intake = host.Get<IntakeService>();
        // A NaN coordinate (the edge refuses it; a caller that skipped the edge would not) cannot be stored as JSON.
        var broken = IntakeOf("nan-1") with { Location = new Location("幸福路12号", "east", double.NaN, 120.1) };
        await Assert.ThrowsAnyAsync<Exception>(() => intake.SubmitAsync(CallCentre, broken));
        var (partition, row) = IntakeService.ReservationKey(CallCentre, broken);
        await foreach (var left in host.Get<HotlineTables>().Intake.QueryAsync<Azure.Data.Tables.TableEntity>(filter: (string?)null))
            Assert.False(left.PartitionKey == partition && left.RowKey == row, "The failed save left its reservation behind.");

        var corrected = await intake.SubmitAsync(CallCentre, IntakeOf("nan-1"));
        Assert.True(corrected.Created);
    }

    [Fact]
    public void Matter_numbers_are_the_china_date_and_eight_readable_characters()
    {
        var id = IntakeService.NewMatterId(T("2026-03-02 23:30"));
        Assert.Matches("^20260302[0-9A-HJKMNP-TV-Z]{8}$", id);
        Assert.StartsWith("20260303", IntakeService.NewMatterId(T("2026-03-02 23:30").AddHours(1)), StringComparison.Ordinal);
    }
}
