using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Notices;
using Hotline.Orchestrations.Profiles;
using static Hotline.Orchestrations.Tests.Lifecycle.Story;

namespace Hotline.Orchestrations.Tests.Lifecycle;

/// <summary>Co-organizers' parts (Fujian 16, 30(4); Weifang 22) and the "explained, not solvable now" reply (Fujian 20(7); Weifang 20(3)).</summary>
public sealed class CoOrganizerRuleTests
{
    private const string Street = "street-office";
    private const string Urban = "urban-management";
    private static readonly Actor StreetUnit = Actor.Organizer(Street);

    private static Story Dispatched(string profile, string at = "2026-03-02 10:00", MatterType type = MatterType.Complaint) =>
        new Story(profile).Submitted(type, T(at).AddMinutes(-30)).Dispatched(T(at), coOrganizers: [Street, Urban]);

    [Fact]
    public void Each_co_organizer_owes_its_part_within_2_working_days_and_learns_of_it_by_SMS_Fujian_art_16()
    {
        var story = Dispatched("fujian");

        var parts = story.Matter.CoOrganizerParts;
        Assert.Equal([Street, Urban], parts.Select(p => p.Organizer));
        Assert.All(parts, p => Assert.Equal(T("2026-03-04 17:30"), p.PartBy));
        Assert.Contains(new Alarm(AlarmKind.CoOrganizerPartDue, T("2026-03-04 17:30")), MatterAlarms.Of(story.Matter));
        var notices = MatterNotices.For(story.Matter, story.History.TakeLast(2));
        Assert.Equal(
            [new Notice(NoticeKind.Assignment, Lead, Recipient.Handler, T("2026-03-02 12:00")),
             new Notice(NoticeKind.CoOrganizerAssignment, Street, Recipient.Handler, T("2026-03-04 17:30")),
             new Notice(NoticeKind.CoOrganizerAssignment, Urban, Recipient.Handler, T("2026-03-04 17:30"))],
            notices);
        Assert.All(notices, n => Assert.True(n.CarriesLink));
    }

    [Fact]
    public void A_part_is_never_due_after_the_leads_own_deadline_Fujian_art_16()
    {
        // A consultation is due in 2 working days in Fujian; dispatched in the afternoon its lead deadline is the part's too.
        var story = Dispatched("fujian", "2026-03-02 16:00", MatterType.Consultation);
        Assert.Equal(story.Matter.Deadlines.DueBy, story.Matter.CoOrganizerParts[0].PartBy);

        var urgent = new Story("fujian");
        urgent.Do(new SubmitMatter(CallCentre, "M-1", IntakeOf(MatterType.Help, Urgency.Urgent, receivedAt: T("2026-03-07 10:00")), new Route(Lead, [Street])),
            T("2026-03-07 10:00"));
        Assert.Equal(T("2026-03-08 10:00"), urgent.Matter.CoOrganizerParts.Single().PartBy); // the same day, read as 24 hours
    }

    [Fact]
    public void A_co_organizer_gives_its_part_once_through_its_own_unit_and_the_lead_sees_it_Weifang_art_22()
    {
        var story = Dispatched("weifang").Signed(T("2026-03-02 10:30"));
        var at = T("2026-03-03 09:30");

        story.Refuses(new SubmitCoOrganizerPart(Unit, "牵头单位不交协办意见"), at, RefusalCodes.NotACoOrganizer);
        story.Refuses(new SubmitCoOrganizerPart(Actor.Organizer(Other), "无关单位"), at, RefusalCodes.NotACoOrganizer);
        story.Refuses(new SubmitCoOrganizerPart(Dispatcher, "平台代交"), at, RefusalCodes.ActorNotAllowed);
        story.Refuses(new SubmitCoOrganizerPart(StreetUnit, "  "), at, RefusalCodes.InvalidInput);

        story.Do(new SubmitCoOrganizerPart(StreetUnit, "街道已配合入户核查"), at);
        var part = story.Matter.CoOrganizerParts.Single(p => p.Organizer == Street);
        Assert.Equal(("街道已配合入户核查", at, false), (part.Text, part.SubmittedAt, part.Late));
        Assert.Equal(["coOrganizerPartSubmitted"], story.History.TakeLast(1).Select(Matter.EventName));
        story.Refuses(new SubmitCoOrganizerPart(StreetUnit, "再交一次"), at.AddHours(1), RefusalCodes.PartAlreadySubmitted);

        // Urban management still owes its part: the alarm stays until it gives it, then goes.
        Assert.Contains(MatterAlarms.Of(story.Matter), a => a.Kind == AlarmKind.CoOrganizerPartDue);
        story.Do(new SubmitCoOrganizerPart(Actor.Organizer(Urban), "城管已清理占道"), at.AddHours(2));
        Assert.DoesNotContain(MatterAlarms.Of(story.Matter), a => a.Kind == AlarmKind.CoOrganizerPartDue);
    }

    [Fact]
    public void A_part_missing_at_its_deadline_shows_as_overdue_and_its_leader_is_told_Fujian_art_30_4()
    {
        var story = Dispatched("fujian").Signed(T("2026-03-02 10:30"));
        story.Do(new SubmitCoOrganizerPart(StreetUnit, "街道已配合"), T("2026-03-03 10:00"));
        story.Fire(AlarmKind.CoOrganizerPartDue);

        var overdue = Assert.Single(story.Matter.OverdueParts);
        Assert.Equal(Urban, overdue.Organizer);
        Assert.Equal(
            [new Notice(NoticeKind.CoOrganizerPartOverdue, Urban, Recipient.Leader, T("2026-03-04 17:30"))],
            MatterNotices.For(story.Matter, story.History.TakeLast(1)));
        Assert.False(story.Matter.Supervised); // the lead is not supervised for a co-organizer's part

        // A late part is still taken, and stays late.
        story.Do(new SubmitCoOrganizerPart(Actor.Organizer(Urban), "城管迟交"), T("2026-03-05 09:30"));
        Assert.True(story.Matter.CoOrganizerParts.Single(p => p.Organizer == Urban).Late);
        Assert.Empty(story.Matter.OverdueParts);
    }

    [Fact]
    public void A_reassigned_matter_owes_nothing_to_the_previous_co_organizers_Fujian_art_16()
    {
        var story = Dispatched("fujian");
        story.Do(new ApplyForReturn(Unit, "不属于本单位职责"), T("2026-03-02 11:00"))
            .Do(new DecideReturn(Dispatcher, true, null, ReassignTo: Other, CoOrganizers: []), T("2026-03-02 14:00"));

        Assert.Empty(story.Matter.CoOrganizerParts);
        Assert.DoesNotContain(MatterAlarms.Of(story.Matter), a => a.Kind == AlarmKind.CoOrganizerPartDue);
        story.Refuses(new SubmitCoOrganizerPart(StreetUnit, "街道"), T("2026-03-02 15:00"), RefusalCodes.NotACoOrganizer);
    }

    [Fact]
    public void Once_the_leads_reply_is_accepted_a_part_is_no_longer_taken()
    {
        var story = Dispatched("weifang").Signed(T("2026-03-02 10:30"))
            .Do(new RecordContact(Unit, "已电话联系"), T("2026-03-02 11:00"))
            .Replied(T("2026-03-02 15:00"))
            .Do(new ReviewReply(Dispatcher, true, null), T("2026-03-02 16:00"));
        story.Refuses(new SubmitCoOrganizerPart(StreetUnit, "街道"), T("2026-03-02 16:30"), RefusalCodes.WrongStatus);
    }

    [Theory]
    [InlineData("fujian", MatterType.Help)]
    [InlineData("weifang", MatterType.Complaint)]
    public void Explained_not_solvable_needs_the_contact_with_the_citizen_recorded_first_Fujian_art_20_7_Weifang_art_20_3(string profile, MatterType type)
    {
        var story = new Story(profile).Submitted(type, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:30"));
        var photo = new EvidenceRef("m-1/photo-1.jpg", "image/jpeg", 120_000);
        var explained = new SubmitReply(Unit, "受规划限制暂无法解决，已向市民解释并告知办理途径", [photo], ReplyKind.ExplainedNotSolvable);

        var refusal = story.Refuses(explained, T("2026-03-02 11:00"), RefusalCodes.ContactRequired);
        Assert.Contains(ProfileCatalog.Get(profile).ExplainedNotSolvable!.Basis, refusal.Message, StringComparison.Ordinal);

        story.Do(new RecordContact(Unit, "已电话联系市民，解释暂无法解决的原因"), T("2026-03-02 11:30")).Do(explained, T("2026-03-02 14:00"));
        Assert.Equal(ReplyKind.ExplainedNotSolvable, story.Matter.LatestReply!.Kind);
        Assert.Equal(ReplyKind.ExplainedNotSolvable, ((ReplySubmitted)story.History[^1]).Kind);
        Assert.Equal(MatterStatus.ReplyUnderReview, story.Matter.Status);
    }

    [Fact]
    public void A_reply_says_solved_unless_it_says_otherwise_and_needs_no_contact_then()
    {
        var story = new Story("weifang").Submitted(MatterType.Complaint, T("2026-03-02 09:00")).Dispatched(T("2026-03-02 10:00")).Signed(T("2026-03-02 10:30"))
            .Replied(T("2026-03-02 14:00"), withPhoto: false);
        Assert.Equal(ReplyKind.Solved, story.Matter.LatestReply!.Kind);
    }

    [Fact]
    public void Fujian_and_Weifang_have_both_rules_from_their_own_articles_and_the_other_profiles_as_marked_options()
    {
        foreach (var id in new[] { "fujian", "weifang" })
        {
            var p = ProfileCatalog.Get(id);
            Assert.False(p.CoOrganizers!.Option);
            Assert.False(p.ExplainedNotSolvable!.Option);
        }
        Assert.Contains("Fujian art. 16", ProfileCatalog.Get("fujian").CoOrganizers!.Basis, StringComparison.Ordinal);
        Assert.Contains("Fujian art. 20(7)", ProfileCatalog.Get("fujian").ExplainedNotSolvable!.Basis, StringComparison.Ordinal);
        Assert.Contains("Weifang 22", ProfileCatalog.Get("weifang").CoOrganizers!.Basis, StringComparison.Ordinal);
        Assert.Contains("Weifang 20(3)", ProfileCatalog.Get("weifang").ExplainedNotSolvable!.Basis, StringComparison.Ordinal);
        foreach (var id in new[] { "citizen-hotline", "guangzhou" })
        {
            var p = ProfileCatalog.Get(id);
            Assert.True(p.CoOrganizers!.Option);
            Assert.True(p.ExplainedNotSolvable!.Option);
        }
    }

    [Fact]
    public void A_profile_without_the_rules_only_names_co_organizers_and_refuses_the_explained_reply()
    {
        var without = ProfileCatalog.Get("fujian") with { CoOrganizers = null, ExplainedNotSolvable = null };
        var lifecycle = MatterLifecycle.For(without, Hotline.Orchestrations.Time.HolidayCalendar.Embedded);
        var (_, submitted) = lifecycle.Apply(null, new SubmitMatter(CallCentre, "M-1", IntakeOf(MatterType.Complaint, receivedAt: T("2026-03-02 09:00"))), T("2026-03-02 09:00"));
        var (dispatch, dispatched) = lifecycle.Apply(submitted, new DispatchMatter(Dispatcher, Lead, [Street]), T("2026-03-02 10:00"));
        Assert.Equal(["matterDispatched"], dispatch.Events.Select(Matter.EventName));
        Assert.Empty(dispatched!.CoOrganizerParts);
        Assert.Equal(RefusalCodes.NotACoOrganizer, lifecycle.Decide(dispatched, new SubmitCoOrganizerPart(StreetUnit, "街道"), T("2026-03-02 11:00")).Refusal!.Code);
        var (_, signed) = lifecycle.Apply(dispatched, new SignMatter(Unit), T("2026-03-02 10:30"));
        var (_, contacted) = lifecycle.Apply(signed, new RecordContact(Unit, "已联系"), T("2026-03-02 10:40"));
        var refused = lifecycle.Decide(contacted, new SubmitReply(Unit, "暂无法解决", [new EvidenceRef("m-1/p.jpg", "image/jpeg", 1)], ReplyKind.ExplainedNotSolvable), T("2026-03-02 11:00"));
        Assert.Equal(RefusalCodes.InvalidInput, refused.Refusal!.Code);
    }
}
