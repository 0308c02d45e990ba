using System.Globalization;
using System.Text;
using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Time;

/// <summary>Absurd input ends in an exception, never in a runaway loop.</summary>
public class SearchGuardTests
{
    [Fact]
    public void A_period_beyond_the_search_horizon_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkingCalendar.Default.AddWorkingDays(Cst.At("2025-03-03 10:00"), 100_000));

    [Fact]
    public void Working_time_beyond_the_search_horizon_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkingCalendar.Default.AddWorkingTime(Cst.At("2025-03-03 10:00"), TimeSpan.MaxValue));

    [Fact]
    public void Calendar_data_without_any_working_day_for_over_ten_years_fails_loudly()
    {
        var calendar = new WorkingCalendar(HolidayCalendar.Parse(Enumerable.Range(2030, 11).Select(AllDaysOff)), WorkingDaySchedule.Default);

        Assert.Throws<InvalidOperationException>(() => calendar.AddWorkingDays(Cst.At("2030-01-01 10:00"), 1));
        Assert.Throws<InvalidOperationException>(() => calendar.ExtensionCutoff(Cst.At("2040-12-31 10:00")));
        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.AddWorkingTime(Cst.At("2030-01-01 10:00"), TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.Zero, calendar.WorkingTimeBetween(Cst.At("2030-01-01 00:00"), Cst.At("2041-01-01 00:00")));
    }

    private static string AllDaysOff(int year)
    {
        var text = new StringBuilder("date,kind,holiday\n");
        for (var day = new DateOnly(year, 1, 1); day.Year == year; day = day.AddDays(1))
            text.Append(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},off,Test\n");
        return text.ToString();
    }
}
