using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Runtime.ReturnVisits;
using Hotline.Runtime.Sms;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

[Collection("Azurite")]
public sealed class SupervisionApiTests(AzuriteFixture azurite)
{
    private static async Task<string> AutoDispatchedAsync(HotlineApp app, string channelRef, string type = "help") =>
        (await app.PostMatterAsync(MatterBody(channelRef, type: type, category: "water-pressure"))).GetProperty("id").GetString()!;

    private static async Task AdvanceAsync(HotlineApp app, string by)
    {
        using var response = await app.CreateClient().PostAsJsonAsync("/api/dev/clock/advance", new { by });
        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Overdue_sign_offs_appear_in_the_supervision_list_with_reason_and_since_and_filters_apply_Weifang_art_26()
    {
        await using var app = new HotlineApp(azurite);
        var late = await AutoDispatchedAsync(app, "s-1");
        var signed = await AutoDispatchedAsync(app, "s-2");
        var sms = await app.Get<SmsOutbox>().ListAsync(signed);
        var token = sms[0].Text[(sms[0].Text.IndexOf("/o/", StringComparison.Ordinal) + 3)..];
        using (var sign = await app.CreateClient().PostAsync($"/api/o/{token}/sign", null)) Assert.True(sign.IsSuccessStatusCode);

        await AdvanceAsync(app, "PT2H1M"); // past 11:00, the sign-off deadline
        var list = await app.Staff().GetFromJsonAsync<JsonElement>("/api/supervision");
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(late, item.GetProperty("matterId").GetString());
        Assert.Equal("lanhai-water", item.GetProperty("organizer").GetString());
        var reason = Assert.Single(item.GetProperty("reasons").EnumerateArray());
        Assert.Equal("signOffOverdue", reason.GetProperty("reason").GetString());
        Assert.Equal("2026-03-02T11:00:00+08:00", reason.GetProperty("since").GetString());

        Assert.Empty((await app.Staff().GetFromJsonAsync<JsonElement>("/api/supervision?reason=handlingOverdue")).GetProperty("items").EnumerateArray());
        Assert.Empty((await app.Staff().GetFromJsonAsync<JsonElement>("/api/supervision?organizer=housing")).GetProperty("items").EnumerateArray());
        Assert.Single((await app.Staff().GetFromJsonAsync<JsonElement>("/api/supervision?district=donghu&reason=signOffOverdue")).GetProperty("items").EnumerateArray());
        using var bad = await app.Staff().GetAsync("/api/supervision?reason=lazy");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // A reminder texts the handler and the leader once each; lifting takes it off the list.
        var reminded = await app.StaffPostAsync($"/api/matters/{late}/reminder", new { note = "请立即签收" });
        Assert.Contains(reminded.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("event").GetString() == "organizerReminded");
        var reminders = (await app.Get<SmsOutbox>().ListAsync(late)).Where(s => s.NoticeKind == "SupervisionReminder").Select(s => s.To).Order();
        Assert.Equal(["13905710001", "13905710002"], reminders);
        await app.StaffPostAsync($"/api/matters/{late}/supervision/lift", new { reason = "已签收整改" });
        Assert.Empty((await app.Staff().GetFromJsonAsync<JsonElement>("/api/supervision")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Return_visits_are_drawn_reproducibly_and_an_unsolved_one_is_handled_again_Fujian_art_23()
    {
        await using var app = new HotlineApp(azurite, settings: new Dictionary<string, string?> { ["Hotline:ReturnVisits:Share"] = "1" });
        var id = await AutoDispatchedAsync(app, "v-1", type: "suggestion");
        var link = (await app.Get<SmsOutbox>().ListAsync(id))[0].Text;
        var token = link[(link.IndexOf("/o/", StringComparison.Ordinal) + 3)..];
        var web = app.CreateClient();
        (await web.PostAsync($"/api/o/{token}/sign", null)).EnsureSuccessStatusCode();
        (await web.PostAsJsonAsync($"/api/o/{token}/reply", new { text = "已采纳建议，增设公交站台" })).EnsureSuccessStatusCode();
        await app.StaffPostAsync($"/api/matters/{id}/reply-review", new { accept = true });
        (await app.Channel().PostAsJsonAsync($"/api/matters/{id}/evaluation", new { result = "satisfied" })).EnsureSuccessStatusCode();

        var draw = await app.Staff().GetFromJsonAsync<JsonElement>("/api/return-visits?day=2026-03-02");
        var visit = Assert.Single(draw.GetProperty("visits").EnumerateArray());
        Assert.Equal(id, visit.GetProperty("matterId").GetString());
        Assert.Equal(draw.ToString(), (await app.Staff().GetFromJsonAsync<JsonElement>("/api/return-visits?day=2026-03-02")).ToString());
        Assert.Empty((await app.Staff().GetFromJsonAsync<JsonElement>("/api/return-visits?day=2026-03-03")).GetProperty("visits").EnumerateArray());
        using var badDay = await app.Staff().GetAsync("/api/return-visits?day=March");
        Assert.Equal(HttpStatusCode.BadRequest, badDay.StatusCode);

        var reopened = await app.StaffPostAsync($"/api/matters/{id}/return-visit", new { solved = false, note = "市民称站台仍未设置" });
        Assert.Equal("handling", reopened.GetProperty("status").GetString());
        Assert.Equal(2, reopened.GetProperty("handlingRound").GetInt32());
        var rehandling = Assert.Single(await app.Get<SmsOutbox>().ListAsync(id), s => s.NoticeKind == "Rehandling");
        // The link died when the matter closed; the SMS that reopens it brings the unit a new one.
        using var old = await web.GetAsync($"/api/o/{token}");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        using var again = await web.GetAsync("/api/o/" + rehandling.Text[(rehandling.Text.IndexOf("/o/", StringComparison.Ordinal) + 3)..]);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public void The_draw_takes_the_share_per_organizer_and_depends_only_on_seed_day_and_matter()
    {
        var closed = Enumerable.Range(0, 20).Select(i => new Hotline.Runtime.Projections.MatterSummary(
            $"20260302{i:D8}", 9, Hotline.Orchestrations.Lifecycle.MatterStatus.Closed, Hotline.Orchestrations.Lifecycle.MatterType.Help,
            Hotline.Orchestrations.Lifecycle.Urgency.Normal, "water-pressure", "donghu", i < 10 ? "lanhai-water" : "housing",
            T("2026-03-01 09:00"), null, null, false, T("2026-03-02 15:00"))).ToArray();
        var day = new DateOnly(2026, 3, 2);
        var options = new ReturnVisitOptions(0.25, "seed-a");
        var first = ReturnVisitDraw.Draw(closed, day, options);
        Assert.Equal(6, first.Count); // ceil(0.25 x 10) per organizer
        Assert.Equal(3, first.Count(v => v.Organizer == "housing"));
        Assert.Equal(first, ReturnVisitDraw.Draw(closed.Reverse(), day, options));
        Assert.NotEqual(first.Select(v => v.MatterId), ReturnVisitDraw.Draw(closed, day.AddDays(1), options).Select(v => v.MatterId));
        Assert.NotEqual(first.Select(v => v.MatterId), ReturnVisitDraw.Draw(closed, day, options with { Seed = "seed-b" }).Select(v => v.MatterId));
    }
}
