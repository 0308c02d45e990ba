using Hotline.Orchestrations.Assessment;
using Hotline.Orchestrations.Lifecycle;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Assessment;

public sealed class HotspotsTests
{
    private static readonly DateTimeOffset From = T("2026-03-02 00:00");
    private static readonly DateTimeOffset To = T("2026-03-16 00:00"); // two weeks; the previous period is 02-16 to 03-02

    private static int _next;

    private static MatterFacts Matter(string at, string category, string? district = "donghu", string address = "", double? lat = null, double? lon = null,
        bool rejected = false) => new()
    {
        MatterId = $"M-{Interlocked.Increment(ref _next):D4}",
        Version = 1,
        ReceivedAt = T(at),
        Type = MatterType.Complaint,
        Category = category,
        District = district,
        AddressKey = Places.AddressKey(address),
        Lat = lat,
        Lon = lon,
        Rejected = rejected,
    };

    [Fact]
    public void Categories_and_districts_count_against_the_previous_period_of_equal_length_Weifang_art_29()
    {
        MatterFacts[] facts =
        [
            Matter("2026-02-20 10:00", "noise"), Matter("2026-02-21 10:00", "noise"), Matter("2026-02-22 10:00", "lighting", "xiling"),
            Matter("2026-03-02 00:00", "noise"), Matter("2026-03-03 10:00", "noise"), Matter("2026-03-04 10:00", "noise", null),
            Matter("2026-03-05 10:00", "water", "xiling"), Matter("2026-03-15 23:59", "water", "xiling"),
            Matter("2026-03-16 00:00", "water"), Matter("2026-02-15 23:59", "water"), // just outside both periods
            Matter("2026-03-06 10:00", "noise", rejected: true),
        ];

        var report = Hotspots.Compute(facts, From, To);

        Assert.Equal((T("2026-02-16 00:00"), From), (report.PreviousFrom, report.PreviousTo));
        Assert.Equal(
            [new CountChange("noise", 3, 2, 0.5), new CountChange("water", 2, 0, null), new CountChange("lighting", 0, 1, -1)],
            report.ByCategory);
        Assert.Equal(
            [new CountChange("donghu", 2, 2, 0), new CountChange("xiling", 2, 1, 1), new CountChange("", 1, 0, null)],
            report.ByDistrict);
    }

    [Fact]
    public void Weeks_start_on_Monday_in_China_Standard_Time_and_list_each_category()
    {
        MatterFacts[] facts =
        [
            Matter("2026-03-02 00:00", "noise"), Matter("2026-03-08 23:59", "noise"), Matter("2026-03-08 12:00", "water"),
            Matter("2026-03-09 00:00", "water"),
        ];

        var report = Hotspots.Compute(facts, From, To);

        Assert.Equal(
            [new WeekCount(new DateOnly(2026, 3, 2), "noise", 2), new WeekCount(new DateOnly(2026, 3, 2), "water", 1), new WeekCount(new DateOnly(2026, 3, 9), "water", 1)],
            report.ByWeek);
    }

    [Fact]
    public void Matters_of_one_category_at_the_same_address_or_within_200_m_are_repeated_from_two_on()
    {
        var a1 = Matter("2026-03-03 10:00", "noise", address: "幸福路12号");
        var a2 = Matter("2026-03-04 10:00", "noise", "xiling", address: "幸福路 12 号");
        var b1 = Matter("2026-03-05 10:00", "noise", address: "长江路1号", lat: 30.2500, lon: 120.1600);
        var b2 = Matter("2026-03-06 10:00", "noise", address: "长江路3号", lat: 30.2510, lon: 120.1600); // 111 m
        var b3 = Matter("2026-03-07 10:00", "noise", address: "长江路5号", lat: 30.2525, lon: 120.1600); // 167 m from b2, 278 m from b1: linked through b2
        var other = Matter("2026-03-05 11:00", "water", address: "长江路1号", lat: 30.2500, lon: 120.1600); // another category
        var alone = Matter("2026-03-05 12:00", "noise", address: "黄河路9号", lat: 30.3000, lon: 120.1600);
        var before = Matter("2026-02-20 10:00", "noise", address: "黄河路9号"); // the previous period does not repeat

        var report = Hotspots.Compute([b3, a2, a1, b1, b2, other, alone, before], From, To);

        Assert.Equal(2, report.Repeated.Count);
        var chain = report.Repeated[0];
        Assert.Equal(("noise", "donghu", "长江路1号", 3), (chain.Category, chain.District, chain.Address, chain.Count));
        Assert.Equal([b1.MatterId, b2.MatterId, b3.MatterId], chain.Matters);
        var same = report.Repeated[1];
        Assert.Equal(("幸福路12号", 2, "donghu"), (same.Address, same.Count, same.District));
        Assert.Equal([a1.MatterId, a2.MatterId], same.Matters);
    }

    [Fact]
    public void An_empty_period_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Hotspots.Compute([], To, From));
    }
}
