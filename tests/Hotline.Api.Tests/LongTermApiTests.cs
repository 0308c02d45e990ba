using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Runtime.Sms;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>Long-running matters and legal procedures (Guangzhou, seeds/004) and escalation (Weifang 23) through the API.</summary>
[Collection("Azurite")]
public sealed class LongTermApiTests(AzuriteFixture azurite)
{
    /// <summary>A matter auto-dispatched to lanhai-water and signed through the link; its id and the link's token.</summary>
    private static async Task<(string Id, string Token)> SignedAsync(HotlineApp app, string channelRef)
    {
        var id = (await app.PostMatterAsync(MatterBody(channelRef, type: "complaint", category: "water-pressure"))).GetProperty("id").GetString()!;
        var sms = (await app.Get<SmsOutbox>().ListAsync(id))[0].Text;
        var token = sms[(sms.IndexOf("/o/", StringComparison.Ordinal) + 3)..];
        (await app.CreateClient().PostAsync($"/api/o/{token}/sign", null)).EnsureSuccessStatusCode();
        return (id, token);
    }

    private static async Task AdvanceAsync(HotlineApp app, string by)
    {
        using var response = await app.CreateClient().PostAsJsonAsync("/api/dev/clock/advance", new { by });
        Assert.True(response.IsSuccessStatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<JsonElement[]> LongTermAsync(HotlineApp app, string query = "") =>
        [.. (await app.Staff().GetFromJsonAsync<JsonElement>("/api/long-term" + query)).GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task A_long_running_matter_is_marked_planned_fed_back_listed_and_ended_through_the_api_Guangzhou_long_running()
    {
        await using var app = new HotlineApp(azurite, profile: "guangzhou");
        var (id, token) = await SignedAsync(app, "lr-1");
        var staff = app.Staff();
        var web = app.CreateClient();

        var (status, problem) = await PostAsync(staff, $"/api/matters/{id}/long-running", new { guidanceDepartment = "no-such-unit", note = "需长期推进" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("guidanceDepartment", out _));
        (status, problem) = await PostAsync(staff, $"/api/matters/{id}/long-running", new { guidanceDepartment = "housing" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("note", out _));
        (status, _) = await PostAsync(app.Channel(), $"/api/matters/{id}/long-running", new { guidanceDepartment = "housing", note = "需长期推进" });
        Assert.Equal(HttpStatusCode.Forbidden, status);

        var marked = await app.StaffPostAsync($"/api/matters/{id}/long-running", new { guidanceDepartment = "housing", note = "群众持续反映，需长期推进" });
        Assert.Equal("housing", marked.GetProperty("longTerm").GetProperty("longRunning").GetProperty("guidanceDepartment").GetString());
        var texts = await app.Get<SmsOutbox>().ListAsync(id);
        var guidance = Assert.Single(texts, s => s.NoticeKind == "LongRunningGuidance");
        Assert.Equal("13905710008", guidance.To); // the housing department's leader
        Assert.DoesNotContain("/o/", guidance.Text, StringComparison.Ordinal); // the link is the organizer's alone
        Assert.Contains("/o/", Assert.Single(texts, s => s.NoticeKind == "LongRunningMarked" && s.To == "13905710001").Text, StringComparison.Ordinal);

        var view = await web.GetFromJsonAsync<JsonElement>($"/api/o/{token}");
        Assert.True(view.GetProperty("longTerm").GetProperty("solutionPlan").GetBoolean());
        Assert.False(view.GetProperty("longTerm").GetProperty("stagedFeedback").GetBoolean());
        (status, problem) = await PostAsync(web, $"/api/o/{token}/staged-feedback", new { text = "进展" });
        Assert.Equal((HttpStatusCode.Conflict, "longRunning.plan-missing"), (status, problem.GetProperty("code").GetString()));
        (status, _) = await PostAsync(web, $"/api/o/{token}/solution-plan", new { });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _) = await PostAsync(web, $"/api/o/{token}/solution-plan", new { plan = "分三期改造小区管网" });
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _) = await PostAsync(web, $"/api/o/{token}/staged-feedback", new { text = "一期管网已完工" });
        Assert.Equal(HttpStatusCode.OK, status);
        (status, problem) = await PostAsync(web, $"/api/o/{token}/reply", new { text = "已处理" });
        Assert.Equal((HttpStatusCode.Conflict, "longTerm.clock-held"), (status, problem.GetProperty("code").GetString()));

        // The citizen sees the staged feedback; supervisors see the matter with its next feedback deadline.
        var progress = await app.Channel().GetFromJsonAsync<JsonElement>($"/api/matters/{id}/progress?phone=13800001234");
        Assert.Equal("一期管网已完工", Assert.Single(progress.GetProperty("stagedFeedback").EnumerateArray()).GetProperty("text").GetString());
        var item = Assert.Single(await LongTermAsync(app));
        Assert.Equal((id, "longRunning", "housing", "stagedFeedback", false),
            (item.GetProperty("matterId").GetString(), item.GetProperty("kind").GetString(), item.GetProperty("owner").GetString(),
                item.GetProperty("stage").GetString(), item.GetProperty("overdue").GetBoolean()));
        Assert.Equal("2026-03-30T18:00:00+08:00", item.GetProperty("dueBy").GetString()); // 20 working days after 03-02
        Assert.Empty(await LongTermAsync(app, "?kind=escalation"));
        using (var bad = await staff.GetAsync("/api/long-term?kind=forever")) Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // Feedback not given in time: the unit's leader and the guidance department are told; the list says overdue.
        await AdvanceAsync(app, "P29D");
        Assert.Contains(await app.Get<SmsOutbox>().ListAsync(id), s => s.NoticeKind == "StagedFeedbackOverdue" && s.To == "13905710002");
        Assert.True(Assert.Single(await LongTermAsync(app)).GetProperty("overdue").GetBoolean());
        Assert.Empty((await staff.GetFromJsonAsync<JsonElement>("/api/supervision")).GetProperty("items").EnumerateArray()); // the held deadline made nobody overdue

        var ended = await app.StaffPostAsync($"/api/matters/{id}/long-running-end", new { note = "管网改造完成" });
        Assert.NotNull(ended.GetProperty("longTerm").GetProperty("longRunning").GetProperty("endedAt").GetString());
        Assert.Empty(await LongTermAsync(app));
        (status, _) = await PostAsync(web, $"/api/o/{token}/reply", new { text = "管网改造完成，水压恢复" });
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_legal_procedure_holds_the_clock_and_its_end_gives_3_working_days_to_report_Guangzhou_legal_procedure()
    {
        await using var app = new HotlineApp(azurite, profile: "guangzhou");
        var (id, token) = await SignedAsync(app, "lp-1");
        var web = app.CreateClient();

        var (status, _) = await PostAsync(web, $"/api/o/{token}/legal-procedure", new { note = "已起诉" });
        Assert.Equal(HttpStatusCode.BadRequest, status); // which procedure is required
        (status, var view) = await PostAsync(web, $"/api/o/{token}/legal-procedure", new { kind = "litigation", note = "开发商已被诉至法院" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(view.GetProperty("longTerm").GetProperty("legalProcedureEnd").GetBoolean());
        Assert.Equal("legalProcedure", Assert.Single(await LongTermAsync(app)).GetProperty("kind").GetString());

        // Far past the ordinary 5 working days: nobody is overdue while the procedure runs.
        await AdvanceAsync(app, "P20D");
        Assert.DoesNotContain(await app.Get<SmsOutbox>().ListAsync(id), s => s.NoticeKind == "HandlingOverdue");
        Assert.Empty((await app.Staff().GetFromJsonAsync<JsonElement>("/api/supervision")).GetProperty("items").EnumerateArray());
        Assert.Empty((await app.Staff().GetFromJsonAsync<JsonElement>("/api/matters?overdue=true")).GetProperty("items").EnumerateArray());

        (status, view) = await PostAsync(web, $"/api/o/{token}/legal-procedure-end", new { note = "判决已生效" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2026-03-25T18:00:00+08:00", view.GetProperty("deadlines").GetProperty("dueBy").GetString()); // Sun 03-22 + 3 working days
        Assert.Contains(await app.Get<SmsOutbox>().ListAsync(id), s => s.NoticeKind == "FinalReportDue" && s.Text.Contains("03-25 18:00", StringComparison.Ordinal));
        var item = Assert.Single(await LongTermAsync(app, "?kind=finalReport"));
        Assert.Equal("2026-03-25T18:00:00+08:00", item.GetProperty("dueBy").GetString());
        (status, var problem) = await PostAsync(app.Staff(), $"/api/matters/{id}/legal-procedure-end", new { note = "again" });
        Assert.Equal((HttpStatusCode.Conflict, "legalProcedure.not-running"), (status, problem.GetProperty("code").GetString()));
        (status, problem) = await PostAsync(web, $"/api/o/{token}/extension", new { workingDays = 2, reason = "需更多时间" });
        Assert.Equal((HttpStatusCode.Conflict, "legalProcedure.report-not-extendable"), (status, problem.GetProperty("code").GetString()));

        (status, _) = await PostAsync(web, $"/api/o/{token}/reply", new { text = "法院判决开发商整改，已整改完毕" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(await LongTermAsync(app));
    }

    [Fact]
    public async Task An_escalation_is_studied_then_decided_by_the_executive_meeting_and_supervisors_see_it_Weifang_art_23()
    {
        await using var app = new HotlineApp(azurite, profile: "weifang");
        var (id, token) = await SignedAsync(app, "es-1");
        var staff = app.Staff();

        var (status, _) = await PostAsync(staff, $"/api/matters/{id}/escalation", new { });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var escalated = await app.StaffPostAsync($"/api/matters/{id}/escalation", new { reason = "涉及水务、住建多部门，承办单位无法解决" });
        var e = escalated.GetProperty("longTerm").GetProperty("escalation");
        Assert.Equal(("municipal-government-office", "study"), (e.GetProperty("owner").GetString(), e.GetProperty("stage").GetString()));
        Assert.Contains(await app.Get<SmsOutbox>().ListAsync(id), s => s.NoticeKind == "MatterEscalated" && s.Text.Contains("第23条", StringComparison.Ordinal));
        var item = Assert.Single(await LongTermAsync(app, "?kind=escalation"));
        Assert.Equal(("municipal-government-office", "2026-03-30T17:30:00+08:00"), (item.GetProperty("owner").GetString(), item.GetProperty("dueBy").GetString()));

        var (refused, problem) = await PostAsync(staff, $"/api/matters/{id}/escalation-outcome", new { outcome = "decidedByExecutiveMeeting", note = "常务会议决定" });
        Assert.Equal((HttpStatusCode.Conflict, "escalation.outcome-out-of-order"), (refused, problem.GetProperty("code").GetString()));
        (status, problem) = await PostAsync(staff, $"/api/matters/{id}/escalation-outcome", new { });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("outcome", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("note", out _));

        var meeting = await app.StaffPostAsync($"/api/matters/{id}/escalation-outcome", new { outcome = "putToExecutiveMeeting", note = "研究后仍未解决，提交常务会议" });
        Assert.Equal("municipal-executive-meeting", meeting.GetProperty("longTerm").GetProperty("escalation").GetProperty("owner").GetString());
        Assert.Equal("executiveMeeting", Assert.Single(await LongTermAsync(app)).GetProperty("stage").GetString());
        (status, problem) = await PostAsync(app.CreateClient(), $"/api/o/{token}/reply", new { text = "等待决定" });
        Assert.Equal((HttpStatusCode.Conflict, "longTerm.clock-held"), (status, problem.GetProperty("code").GetString()));

        var decided = await app.StaffPostAsync($"/api/matters/{id}/escalation-outcome", new { outcome = "decidedByExecutiveMeeting", note = "常务会议决定由区政府牵头实施" });
        Assert.Equal("concluded", decided.GetProperty("longTerm").GetProperty("escalation").GetProperty("stage").GetString());
        Assert.Equal("2026-03-09T17:30:00+08:00", decided.GetProperty("deadlines").GetProperty("dueBy").GetString()); // a fresh 5 working days
        Assert.Contains(await app.Get<SmsOutbox>().ListAsync(id), s => s.NoticeKind == "LongTermEnded");
        Assert.Empty(await LongTermAsync(app));
    }
}
