using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;

namespace Hotline.Orchestrations.Tests.Profiles;

/// <summary>The profiles' numbers, each checked against the article it comes from.</summary>
public sealed class ProfileTests
{
    private static RegulationProfile P(string id) => ProfileCatalog.Get(id);

    [Fact]
    public void The_four_jurisdictions_ship_as_profiles_and_fujian_is_the_default()
    {
        Assert.Equal(["citizen-hotline", "fujian", "guangzhou", "weifang"], ProfileCatalog.Ids.Order());
        Assert.Equal("fujian", ProfileCatalog.DefaultProfileId);
        Assert.Throws<KeyNotFoundException>(() => ProfileCatalog.Get("beijing"));
    }

    [Theory]
    [InlineData(MatterType.Consultation, Urgency.Normal, "parking", 2)]    // Fujian art. 20(1)
    [InlineData(MatterType.Complaint, Urgency.Normal, "parking", 10)]      // Fujian art. 20(2)
    [InlineData(MatterType.Report, Urgency.Normal, "parking", 10)]         // Fujian art. 20(2)
    [InlineData(MatterType.Complaint, Urgency.Normal, "water-supply", 3)]  // Fujian art. 20(2), convenience-service list
    [InlineData(MatterType.Suggestion, Urgency.Normal, "parking", 5)]      // Fujian art. 20(3)
    [InlineData(MatterType.Help, Urgency.Normal, "parking", 3)]            // Fujian art. 20(4)
    [InlineData(MatterType.Help, Urgency.Urgent, "parking", 0)]            // Fujian art. 20(5): same day
    [InlineData(MatterType.Complaint, Urgency.Urgent, "water-supply", 0)]  // urgency beats the list
    public void Fujian_handling_limits_Fujian_art_20(MatterType type, Urgency urgency, string category, int days)
    {
        var limit = P("fujian").HandlingLimitFor(type, urgency, category);
        Assert.Equal(days, limit.WorkingDays);
        Assert.StartsWith("Fujian art. 20", limit.Basis);
    }

    [Theory]
    [InlineData("citizen-hotline", "001")]
    [InlineData("weifang", "Weifang 20(1)")]
    public void Five_working_days_for_every_type_001_Weifang_art_20(string profile, string basis)
    {
        foreach (var type in Enum.GetValues<MatterType>())
        {
            foreach (var urgency in Enum.GetValues<Urgency>())
            {
                var limit = P(profile).HandlingLimitFor(type, urgency, "parking");
                Assert.Equal(5, limit.WorkingDays);
                Assert.StartsWith(basis, limit.Basis);
            }
        }
    }

    [Fact]
    public void Guangzhou_limits_not_in_the_seed_are_declared_unconfirmed()
    {
        var gz = P("guangzhou");
        Assert.Equal(1, gz.Dispatch.WorkingDays);
        Assert.Contains(gz.Unconfirmed, u => u.StartsWith("handling limits", StringComparison.Ordinal));
        Assert.Contains("not in seeds/004", gz.HandlingLimitFor(MatterType.Complaint, Urgency.Normal, "x").Basis);
        Assert.Equal(new TimeOnly(18, 0), gz.WorkingSessions[^1].End);
    }

    [Theory]
    [InlineData("fujian")]
    [InlineData("citizen-hotline")]
    [InlineData("weifang")]
    [InlineData("guangzhou")]
    public void Sign_off_in_2_working_hours_and_return_in_1_working_day_001_Fujian_art_17(string profile)
    {
        var p = P(profile);
        Assert.Equal(TimeSpan.FromHours(2), p.SignOff.Window);
        Assert.Equal(1, p.Return.WorkingDays);
        Assert.False(p.Return.DesignatedUnitMayReturn); // Weifang 22
        Assert.True(p.Extension.MaxLengthIsOriginalLimit); // Fujian 20(6)
        Assert.Equal(1, p.Extension.CutoffSessionsBefore); // half a working day
        Assert.Equal(2, p.Extension.MaxCount); // 001 (reading)
        Assert.Equal(2, p.Rehandling.SuperviseAtUnsatisfiedCount); // Fujian 22
    }

    [Fact]
    public void First_contact_windows_Fujian_art_20_4_and_001()
    {
        Assert.Equal(1, P("fujian").FirstContactFor(MatterType.Help)!.WorkingDays);
        Assert.Null(P("fujian").FirstContactFor(MatterType.Complaint));
        Assert.Equal(3, P("citizen-hotline").FirstContactFor(MatterType.Complaint)!.WorkingDays);
        Assert.Null(P("weifang").FirstContactFor(MatterType.Help));
    }

    [Fact]
    public void Photo_evidence_with_the_reply_Fujian_art_18()
    {
        Assert.True(P("fujian").EvidenceRequired(MatterType.Complaint));
        Assert.False(P("fujian").EvidenceRequired(MatterType.Consultation));
        Assert.False(P("weifang").EvidenceRequired(MatterType.Complaint));
    }

    [Theory]
    [InlineData("fujian", "emergency", "Fujian art. 13(6)", "110")]
    [InlineData("citizen-hotline", "emergency-including-elevator", "001 not accepted (2)", "96333")]
    [InlineData("weifang", "petition", "Weifang 19(2)", "信访")]
    [InlineData("guangzhou", "information-disclosure", "Guangzhou measures: government information disclosure", "信息公开")]
    public void Non_acceptance_reasons_carry_their_article_and_guidance_Weifang_19_Fujian_13_001(string profile, string code, string basis, string guidanceMentions)
    {
        var reason = P(profile).NonAcceptanceReason(code)!;
        Assert.Equal(basis, reason.Basis);
        Assert.Contains(guidanceMentions, reason.Guidance.Zh + reason.Reason.Zh + reason.Guidance.En);
        Assert.False(string.IsNullOrWhiteSpace(reason.Guidance.En));
        Assert.Equal(reason.Guidance.Zh, reason.Guidance.In("zh-CN"));
        Assert.Equal(reason.Guidance.En, reason.Guidance.In("en"));
    }

    [Fact]
    public void Every_profile_names_a_basis_for_every_rule_and_covers_every_type()
    {
        foreach (var id in ProfileCatalog.Ids)
        {
            var p = P(id);
            Assert.All(p.NonAcceptance, r => Assert.False(string.IsNullOrWhiteSpace(r.Guidance.Zh)));
            Assert.All(Enum.GetValues<MatterType>(), t => Assert.True(p.HandlingLimitFor(t, Urgency.Normal, "x").WorkingDays >= 0));
            Assert.NotEmpty(p.Schedule.Sessions);
        }
    }

    private static readonly IReadOnlyList<NonAcceptanceReason> Catalog =
        [new NonAcceptanceReason("emergency", new Text("紧急", "Emergency"), new Text("请拨打110", "Call 110"), "test")];

    private const string Minimal = """
        {
          "id": "test", "name": "t", "document": "d",
          "workingSessions": [ { "start": "09:00", "end": "12:00" } ],
          "dispatch": { "workingDays": 1, "basis": "b" },
          "signOff": { "workingHours": 2, "reminderBeforeMinutes": 30, "basis": "b" },
          "return": { "workingDays": 1, "designatedUnitMayReturn": false, "superviseWhenRefused": false, "basis": "b" },
          "handlingLimits": [ { "workingDays": 5, "basis": "b" } ],
          "fastTrackCategories": [], "firstContact": [],
          "statutoryLimit": { "shorterPrevails": true, "longerPrevails": false, "basis": "b" },
          "extension": { "maxCount": 2, "maxLengthIsOriginalLimit": true, "cutoffSessionsBefore": 1, "basis": "b" },
          "evaluation": { "windowWorkingDays": 5, "basis": "b" },
          "sameDay": { "roundTheClock": false, "signOffMinutes": 60, "hours": 3, "basis": "b" },
          "rehandling": { "superviseAtUnsatisfiedCount": 2, "superviseAtSentBackCount": 2, "basis": "b" },
          "supervision": { "onSignOffOverdue": true, "onContactOverdue": true, "onHandlingOverdue": true, "basis": "b" },
          "reply": { "evidenceRequiredFor": [], "basis": "b" },
          "nonAcceptance": [ { "code": "emergency", "basis": "art. 1" } ],
          "unconfirmed": []
        }
        """;

    [Fact]
    public void A_valid_profile_file_parses()
    {
        var p = ProfileCatalog.Parse(Minimal, Catalog);
        Assert.Equal("art. 1", p.NonAcceptance.Single().Basis);
        Assert.Equal("请拨打110", p.NonAcceptance.Single().Guidance.Zh);
    }

    [Theory]
    [InlineData("\"code\": \"emergency\"", "\"code\": \"tornado\"", "unknown non-acceptance reason")]
    [InlineData("\"handlingLimits\": [ { \"workingDays\": 5, \"basis\": \"b\" } ]", "\"handlingLimits\": [ { \"type\": \"help\", \"workingDays\": 5, \"basis\": \"b\" } ]", "no handling limit for")]
    [InlineData("\"dispatch\": { \"workingDays\": 1, \"basis\": \"b\" }", "\"dispatch\": { \"workingDays\": 1, \"basis\": \" \" }", "basis")]
    [InlineData("\"reminderBeforeMinutes\": 30", "\"reminderBeforeMinutes\": 200", "reminderBeforeMinutes")]
    // Numbers out of any sane range fail at load, not at a deadline years later.
    [InlineData("\"handlingLimits\": [ { \"workingDays\": 5,", "\"handlingLimits\": [ { \"workingDays\": 3000,", "handling limits must be from 0 to 365")]
    [InlineData("\"dispatch\": { \"workingDays\": 1,", "\"dispatch\": { \"workingDays\": 999,", "dispatch.workingDays")]
    [InlineData("\"windowWorkingDays\": 5", "\"windowWorkingDays\": 100000", "evaluation.windowWorkingDays")]
    [InlineData("\"signOffMinutes\": 60, \"hours\": 3", "\"signOffMinutes\": 600, \"hours\": 3", "sameDay")]
    [InlineData("\"sameDay\": { \"roundTheClock\": false, \"signOffMinutes\": 60, \"hours\": 3, \"basis\": \"b\" },", "", "sameDay is required")]
    public void A_bad_profile_file_fails_at_load_naming_the_problem(string from, string to, string message)
    {
        var ex = Assert.Throws<FormatException>(() => ProfileCatalog.Parse(Minimal.Replace(from, to, StringComparison.Ordinal), Catalog));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void An_unknown_field_in_a_profile_file_is_an_error_not_silently_ignored()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() =>
            ProfileCatalog.Parse(Minimal.Replace("\"unconfirmed\": []", "\"unconfirmed\": [], \"signOffHours\": 3", StringComparison.Ordinal), Catalog));
    }

    [Fact]
    public void Same_day_clocks_and_the_extension_total_are_written_down_per_profile_Fujian_art_14_20()
    {
        var fujian = P("fujian");
        Assert.True(fujian.SameDay.RoundTheClock);
        Assert.Equal((30, 24), (fujian.SameDay.SignOffMinutes, fujian.SameDay.Hours));
        Assert.StartsWith("Fujian art. 14", fujian.SameDay.Basis);
        Assert.Contains(fujian.Unconfirmed, u => u.StartsWith("sameDay", StringComparison.Ordinal));
        foreach (var id in ProfileCatalog.Ids)
        {
            Assert.True(P(id).Extension.TotalMaxIsOriginalLimit);
            Assert.Contains("together stay within the original limit", P(id).Extension.Basis);
            Assert.True(P(id).SameDay.SignOffWindow < P(id).SameDay.Window);
        }
    }
}
