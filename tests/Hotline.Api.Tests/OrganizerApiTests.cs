using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Runtime;
using Hotline.Runtime.Links;
using Hotline.Runtime.Sms;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

[Collection("Azurite")]
public sealed class OrganizerApiTests(AzuriteFixture azurite)
{
    /// <summary>Posts a matter routed at intake to the water group and returns its id and the token from the SMS link.</summary>
    private static async Task<(string Id, string Token)> AssignedAsync(HotlineApp app, string channelRef, bool confidential = false, string type = "help")
    {
        var body = MatterBody(channelRef, type: type, category: "water-pressure");
        ((Dictionary<string, object?>)body["citizen"]!)["confidential"] = confidential;
        var id = (await app.PostMatterAsync(body)).GetProperty("id").GetString()!;
        var sms = Assert.Single(await app.Get<SmsOutbox>().ListAsync(id));
        var token = sms.Text[(sms.Text.IndexOf("/o/", StringComparison.Ordinal) + 3)..];
        return (id, token);
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task From_sms_link_to_accepted_reply_with_a_photo_uploaded_straight_to_storage()
    {
        await using var app = new HotlineApp(azurite);
        var (id, token) = await AssignedAsync(app, "o-1");
        var web = app.CreateClient();

        var view = await web.GetFromJsonAsync<JsonElement>($"/api/o/{token}");
        Assert.Equal("awaitingSignOff", view.GetProperty("status").GetString());
        Assert.Equal("澜海水务集团", view.GetProperty("organizerName").GetProperty("zh").GetString());
        Assert.Equal("13800001234", view.GetProperty("citizen").GetProperty("phone").GetString()); // not confidential: the unit calls the citizen
        Assert.Equal("2026-03-02T09:00:00+08:00", view.GetProperty("now").GetString());
        var actions = view.GetProperty("actions");
        Assert.True(actions.GetProperty("sign").GetBoolean() && actions.GetProperty("return").GetBoolean());
        Assert.False(actions.GetProperty("reply").GetBoolean() || actions.GetProperty("extension").GetBoolean());
        Assert.Contains(await app.Get<DisclosureAudit>().ForMatterAsync(id), d => d.Staff == "organizer:lanhai-water");

        view = await OkAsync(await web.PostAsync($"/api/o/{token}/sign", null));
        Assert.Equal("handling", view.GetProperty("status").GetString());
        Assert.True(view.GetProperty("actions").GetProperty("extension").GetBoolean());
        await OkAsync(await web.PostAsJsonAsync($"/api/o/{token}/contact", new { note = "已电话联系，约定上门" }));

        // A real photo, uploaded the way the page does: SAS for one blob, then PUT straight to storage.
        var photo = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var grant = await OkAsync(await web.PostAsJsonAsync($"/api/o/{token}/evidence", new { fileName = "现场.png", contentType = "image/png", bytes = photo.Length }));
        var blob = grant.GetProperty("blob").GetString()!;
        Assert.StartsWith(id + "/", blob, StringComparison.Ordinal);
        using (var upload = new HttpRequestMessage(HttpMethod.Put, grant.GetProperty("uploadUrl").GetString()) { Content = new ByteArrayContent(photo) })
        {
            foreach (var header in grant.GetProperty("headers").EnumerateObject())
            {
                if (header.Name == "Content-Type") upload.Content.Headers.ContentType = new(header.Value.GetString()!);
                else upload.Headers.Add(header.Name, header.Value.GetString());
            }
            using var storage = new HttpClient();
            Assert.Equal(HttpStatusCode.Created, (await storage.SendAsync(upload)).StatusCode);
        }

        view = await OkAsync(await web.PostAsJsonAsync($"/api/o/{token}/reply", new { text = "已更换减压阀，水压恢复", evidence = new[] { blob } }));
        Assert.Equal("replyUnderReview", view.GetProperty("status").GetString());
        var evidence = view.GetProperty("replies")[0].GetProperty("evidence")[0];
        Assert.Equal(("image/png", photo.Length), (evidence.GetProperty("contentType").GetString(), evidence.GetProperty("bytes").GetInt32()));

        await app.StaffPostAsync($"/api/matters/{id}/reply-review", new { accept = true });
        view = await web.GetFromJsonAsync<JsonElement>($"/api/o/{token}");
        Assert.Equal("awaitingEvaluation", view.GetProperty("status").GetString());
        Assert.True(view.GetProperty("replies")[0].GetProperty("accepted").GetBoolean());

        // Staff read the evidence through a short-lived link.
        var links = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}/evidence");
        using var reader = new HttpClient();
        Assert.Equal(photo, await reader.GetByteArrayAsync(links[0].GetProperty("url").GetString()));

        // The citizen is satisfied: the matter closes and the link stops working.
        await OkAsync(await app.Channel().PostAsJsonAsync($"/api/matters/{id}/evaluation", new { result = "satisfied" }));
        using var closed = await web.GetAsync($"/api/o/{token}");
        Assert.Equal(HttpStatusCode.NotFound, closed.StatusCode);
        Assert.Equal("link.invalid", (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Extension_after_the_cutoff_is_refused_by_the_server_Fujian_art_20_6()
    {
        await using var app = new HotlineApp(azurite);
        var (_, token) = await AssignedAsync(app, "o-2");
        var web = app.CreateClient();
        await OkAsync(await web.PostAsync($"/api/o/{token}/sign", null));
        var cutoff = (await web.GetFromJsonAsync<JsonElement>($"/api/o/{token}")).GetProperty("deadlines").GetProperty("extensionCutoff").GetDateTimeOffset();

        app.Clock.Set(cutoff.AddMinutes(1));
        var view = await web.GetFromJsonAsync<JsonElement>($"/api/o/{token}");
        Assert.False(view.GetProperty("actions").GetProperty("extension").GetBoolean());
        using var late = await web.PostAsJsonAsync($"/api/o/{token}/extension", new { workingDays = 2, reason = "需协调管网改造" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("extension.after-cutoff", (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Evidence_is_checked_by_the_server_type_size_upload_and_ownership_Fujian_art_18()
    {
        await using var app = new HotlineApp(azurite);
        var (id, token) = await AssignedAsync(app, "o-3");
        var (_, otherToken) = await AssignedAsync(app, "o-4");
        var web = app.CreateClient();
        await OkAsync(await web.PostAsync($"/api/o/{token}/sign", null));

        async Task<JsonElement> ErrorsOf(HttpResponseMessage r)
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        }
        Assert.True((await ErrorsOf(await web.PostAsJsonAsync($"/api/o/{token}/evidence", new { fileName = "a.pdf", contentType = "application/pdf", bytes = 100 }))).TryGetProperty("contentType", out _));
        Assert.True((await ErrorsOf(await web.PostAsJsonAsync($"/api/o/{token}/evidence", new { fileName = "a.jpg", contentType = "image/jpeg", bytes = 50_000_000 }))).TryGetProperty("bytes", out _));
        Assert.True((await ErrorsOf(await web.PostAsJsonAsync($"/api/o/{token}/evidence", new { fileName = "a.jpg", contentType = "image/jpeg" }))).TryGetProperty("bytes", out _));

        // A blob that was granted but never uploaded, and one of another matter, are not evidence.
        var grant = await OkAsync(await web.PostAsJsonAsync($"/api/o/{token}/evidence", new { fileName = "a.jpg", contentType = "image/jpeg", bytes = 1000 }));
        var missing = await ErrorsOf(await web.PostAsJsonAsync($"/api/o/{token}/reply", new { text = "已处理", evidence = new[] { grant.GetProperty("blob").GetString() } }));
        Assert.Contains("was not uploaded", missing.GetProperty("evidence")[0].GetString(), StringComparison.Ordinal);
        var foreign = await ErrorsOf(await web.PostAsJsonAsync($"/api/o/{token}/reply", new { text = "已处理", evidence = new[] { "20260302AAAAAAAA/x.jpg" } }));
        Assert.Contains("does not belong", foreign.GetProperty("evidence")[0].GetString(), StringComparison.Ordinal);

        // A help matter's reply without any evidence is refused by the lifecycle (Fujian 18).
        using var bare = await web.PostAsJsonAsync($"/api/o/{token}/reply", new { text = "已处理" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bare.StatusCode);
        Assert.Equal("reply.evidence-required", (await bare.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        // The other matter's link sees only its own matter.
        var other = await web.GetFromJsonAsync<JsonElement>($"/api/o/{otherToken}");
        Assert.NotEqual(id, other.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Wrong_revoked_and_moved_on_links_all_get_the_same_answer()
    {
        await using var app = new HotlineApp(azurite);
        var (id, token) = await AssignedAsync(app, "o-5");
        var web = app.CreateClient();

        foreach (var bad in new[] { "AAAAAAAAAAAAAAAAAAAAAA", "../../api/matters", token[..^2] })
        {
            using var response = await web.GetAsync($"/api/o/{Uri.EscapeDataString(bad)}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using (var page = await web.GetAsync($"/o/AAAAAAAAAAAAAAAAAAAAAA"))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }

        // The unit returns the matter; once the platform reassigns it, the old link stops working.
        await OkAsync(await web.PostAsJsonAsync($"/api/o/{token}/return", new { reason = "供水管网属水务集团二公司，非本单位" }));
        await app.StaffPostAsync($"/api/matters/{id}/return-decision", new { approve = true, reassignTo = "donghu-gov" });
        using var moved = await web.PostAsync($"/api/o/{token}/sign", null);
        Assert.Equal(HttpStatusCode.NotFound, moved.StatusCode);

        var (_, second) = await AssignedAsync(app, "o-6");
        await app.Get<OrganizerLinks>().RevokeAsync(second);
        using var revoked = await web.GetAsync($"/api/o/{second}");
        Assert.Equal(HttpStatusCode.NotFound, revoked.StatusCode);
    }

    [Fact]
    public async Task A_confidential_citizen_is_masked_for_the_organizer_and_no_disclosure_happens_Weifang_art_11()
    {
        await using var app = new HotlineApp(azurite);
        var (id, token) = await AssignedAsync(app, "o-7", confidential: true);
        var view = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/o/{token}");
        Assert.Equal("138****1234", view.GetProperty("citizen").GetProperty("phone").GetString());
        Assert.Equal("张*", view.GetProperty("citizen").GetProperty("name").GetString());
        Assert.DoesNotContain(await app.Get<DisclosureAudit>().ForMatterAsync(id), d => d.Staff.StartsWith("organizer:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_deadline_on_the_way_sends_its_reminder_once()
    {
        await using var app = new HotlineApp(azurite);
        var (id, _) = await AssignedAsync(app, "o-8");
        // 09:00 dispatch: reminder at 10:30, overdue at 11:00; the development clock endpoint fires due alarms before answering.
        await OkAsync(await app.CreateClient().PostAsJsonAsync("/api/dev/clock/advance", new { by = "PT1H31M" }));
        await OkAsync(await app.CreateClient().PostAsJsonAsync("/api/dev/clock/advance", new { by = "PT30M" }));
        await OkAsync(await app.CreateClient().PostAsJsonAsync("/api/dev/clock/advance", new { by = "PT1M" }));
        var kinds = (await app.Get<SmsOutbox>().ListAsync(id)).Select(s => s.NoticeKind).ToArray();
        Assert.Equal(["Assignment", "SignOffReminder", "SignOffOverdue"], kinds);
    }
}
