using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Time;

public class ChinaTimeTests
{
    [Fact]
    public void China_Standard_Time_is_a_fixed_UTC_plus_8() =>
        Assert.Equal(TimeSpan.FromHours(8), ChinaTime.Offset);

    [Fact]
    public void ToChina_keeps_the_instant_and_uses_the_plus_8_offset()
    {
        var utc = new DateTimeOffset(2025, 12, 31, 20, 15, 0, TimeSpan.Zero);

        var china = ChinaTime.ToChina(utc);

        Assert.Equal(utc, china);
        Assert.Equal(ChinaTime.Offset, china.Offset);
        Assert.Equal(new DateTime(2026, 1, 1, 4, 15, 0), china.DateTime);
    }

    [Theory]
    [InlineData("2025-12-31T15:59:59Z", "2025-12-31")]
    [InlineData("2025-12-31T16:00:00Z", "2026-01-01")]
    [InlineData("2026-01-01T00:30:00+09:00", "2025-12-31")]
    [InlineData("2025-12-31T20:00:00-05:00", "2026-01-01")]
    public void The_day_of_an_instant_is_its_China_Standard_Time_day_whatever_its_offset(string instant, string expectedDay) =>
        Assert.Equal(Cst.Day(expectedDay), ChinaTime.DayOf(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void At_gives_the_China_wall_time_as_plus_8()
    {
        var instant = ChinaTime.At(Cst.Day("2026-10-13"), Cst.Time("17:30"));

        Assert.Equal(ChinaTime.Offset, instant.Offset);
        Assert.Equal(new DateTimeOffset(2026, 10, 13, 9, 30, 0, TimeSpan.Zero), instant);
    }

    [Fact]
    public void Host_tz_database_agrees_with_the_fixed_offset_for_2025_and_2026()
    {
        // Windows hosts without ICU may know the zone only by its Windows id.
        TimeZoneInfo? zone = null;
        foreach (var id in new[] { "Asia/Shanghai", "China Standard Time" })
        {
            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone))
                break;
        }

        var instants = Enumerable.Range(0, 2 * 365 * 4)
            .Select(i => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i * 6))
            .ToList();
        Assert.Equal(2026, instants[^1].Year);

        if (zone is null)
        {
            // No tz data on this host: the fixed offset is all there is, so check it converts as the zone would.
            Assert.All(instants, i => Assert.Equal(i.UtcDateTime.AddHours(8), ChinaTime.ToChina(i).DateTime));
            return;
        }

        Assert.False(zone.SupportsDaylightSavingTime && instants.Any(zone.IsDaylightSavingTime));
        Assert.All(instants, i => Assert.Equal(zone.GetUtcOffset(i), ChinaTime.Offset));
        Assert.All(instants, i => Assert.Equal(TimeZoneInfo.ConvertTime(i, zone).DateTime, ChinaTime.ToChina(i).DateTime));
    }
}
