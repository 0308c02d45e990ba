using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Tests.Time;

/// <summary>"No later than half a working day before the deadline", half a working day being one whole session.</summary>
public class ExtensionCutoffTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Default;

    [Theory]
    [InlineData("2025-03-04 17:30", "2025-03-04 13:30")] // close of business: the afternoon remains
    [InlineData("2025-03-04 12:00", "2025-03-04 09:00")] // end of morning: the morning remains
    [InlineData("2025-03-04 15:00", "2025-03-04 09:00")] // mid-afternoon: only the morning is whole
    [InlineData("2025-03-04 13:00", "2025-03-04 09:00")] // lunch break
    [InlineData("2025-03-04 11:00", "2025-03-03 13:30")] // mid-morning: the previous afternoon
    [InlineData("2025-03-10 09:00", "2025-03-07 13:30")] // Monday opening: Friday afternoon
    [InlineData("2025-03-08 12:00", "2025-03-07 13:30")] // a Saturday deadline
    public void Extension_must_be_requested_by_the_start_of_the_last_whole_session_before_the_deadline(string deadline, string cutoff) =>
        Assert.Equal(Cst.At(cutoff), Calendar.ExtensionCutoff(Cst.At(deadline)));

    [Theory]
    [InlineData("2026-10-08 09:00", "2026-09-30 13:30")] // after the National Day week
    [InlineData("2026-10-12 09:00", "2026-10-10 13:30")] // after an adjusted working Saturday
    [InlineData("2025-02-05 10:00", "2025-01-27 13:30")] // after the 2025 Spring Festival
    public void Extension_cutoff_skips_holidays_and_counts_adjusted_working_days(string deadline, string cutoff) =>
        Assert.Equal(Cst.At(cutoff), Calendar.ExtensionCutoff(Cst.At(deadline)));

    [Fact]
    public void Extension_cutoff_is_computed_in_China_time_and_answers_as_plus_8()
    {
        var cutoff = Calendar.ExtensionCutoff(new DateTimeOffset(2025, 3, 4, 9, 30, 0, TimeSpan.Zero)); // 17:30 CST

        Assert.Equal(Cst.At("2025-03-04 13:30"), cutoff);
        Assert.Equal(ChinaTime.Offset, cutoff.Offset);
    }
}
