using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Notices;
using Hotline.Orchestrations.Tests.Lifecycle;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Notices;

public sealed class NoticeTests
{
    private static IReadOnlyList<Notice> NoticesOf(Story story, int lastEvents) =>
        MatterNotices.For(story.Matter, story.History.TakeLast(lastEvents));

    [Fact]
    public void Assignment_tells_the_handler_the_sign_off_deadline_Fujian_art_17()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        var notice = Assert.Single(NoticesOf(story, 1));
        Assert.Equal(new Notice(NoticeKind.Assignment, Lead, Recipient.Handler, T("2026-03-02 12:00")), notice);
        Assert.Empty(NoticesOf(story.Signed(T("2026-03-02 10:10")), 1));
    }

    [Fact]
    public void Missed_deadlines_escalate_to_the_units_leader()
    {
        var story = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        story.Fire(AlarmKind.SignOffReminder);
        Assert.Equal(Recipient.Handler, Assert.Single(NoticesOf(story, 1)).Recipient);
        story.Fire(AlarmKind.SignOffOverdue);
        var escalation = Assert.Single(NoticesOf(story, 2));
        Assert.Equal((NoticeKind.SignOffOverdue, Recipient.Leader), (escalation.Kind, escalation.Recipient));
    }

    [Fact]
    public void Decisions_are_told_to_the_unit_that_asked()
    {
        var story = new Story("fujian").Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:10"))
            .Do(new ApplyForExtension(Unit, 2, "需协调"), T("2026-03-03 10:00")).Do(new DecideExtension(Dispatcher, false, null), T("2026-03-03 11:00"));
        Assert.Equal(new Notice(NoticeKind.ExtensionDecided, Lead, Recipient.Handler, T("2026-03-16 17:30"), Approved: false), Assert.Single(NoticesOf(story, 1)));

        story.Do(new ApplyForReturn(Unit, "不属于本单位"), T("2026-03-03 14:00"))
            .Do(new DecideReturn(Dispatcher, true, null, ReassignTo: Other), T("2026-03-03 15:00"));
        var notices = NoticesOf(story, 2);
        Assert.Equal([(NoticeKind.ReturnDecided, Lead), (NoticeKind.Assignment, Other)], notices.Select(n => (n.Kind, n.Organizer)));
    }

    [Theory]
    [InlineData("zh", "【12345】工单20260302ABCDEFGH已派至贵单位，请于03-02 12:00前签收：https://h.example/o/t")]
    [InlineData("en", "[12345] Matter 20260302ABCDEFGH is assigned to your unit. Sign by 03-02 12:00: https://h.example/o/t")]
    public void Sms_texts_name_the_matter_the_deadline_and_the_link(string language, string expected)
    {
        var notice = new Notice(NoticeKind.Assignment, Lead, Recipient.Handler, T("2026-03-02 12:00"));
        Assert.Equal(expected, NoticeText.Render(notice, "20260302ABCDEFGH", "https://h.example/o/t", language));
    }

    [Fact]
    public void An_approved_return_tells_the_unit_it_is_done_without_a_link_and_a_refused_one_sends_the_link()
    {
        var approved = new Notice(NoticeKind.ReturnDecided, Lead, Recipient.Handler, null, Approved: true);
        Assert.False(approved.CarriesLink);
        Assert.Equal("【12345】工单20260302ABCDEFGH退回申请已批准，贵单位无需继续办理。", NoticeText.Render(approved, "20260302ABCDEFGH", null));
        var refused = approved with { Approved = false };
        Assert.True(refused.CarriesLink);
        Assert.EndsWith("https://h.example/o/t", NoticeText.Render(refused, "20260302ABCDEFGH", "https://h.example/o/t"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_notice_kind_has_a_template_without_leftover_placeholders_and_chinese_fits_one_segment_before_the_link()
    {
        foreach (var kind in Enum.GetValues<NoticeKind>())
        {
            foreach (var language in new[] { "zh", "en" })
            {
                var text = NoticeText.Render(new Notice(kind, Lead, Recipient.Handler, T("2026-03-02 12:00"), Approved: true), "20260302ABCDEFGH", "", language);
                Assert.DoesNotContain("{", text, StringComparison.Ordinal);
                if (language == "zh") Assert.True(text.Length <= 70, $"{kind}: {text.Length} characters");
            }
        }
    }
}

public sealed class LateReminderTests
{
    [Fact]
    public void A_reminder_is_dropped_once_the_sign_off_is_overdue_and_a_late_one_sends_nothing()
    {
        var overdueFirst = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        overdueFirst.Fire(AlarmKind.SignOffOverdue, T("2026-03-02 12:05"));
        Assert.DoesNotContain(MatterAlarms.Of(overdueFirst.Matter), a => a.Kind == AlarmKind.SignOffReminder);

        var late = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        late.Fire(AlarmKind.SignOffReminder, T("2026-03-02 12:01")); // delivered after the 12:00 deadline
        Assert.Empty(MatterNotices.For(late.Matter, late.History.TakeLast(1)));
        var onTime = new Story("fujian").Submitted(MatterType.Help, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00"));
        onTime.Fire(AlarmKind.SignOffReminder);
        Assert.Single(MatterNotices.For(onTime.Matter, onTime.History.TakeLast(1)));
    }
}
