using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Runtime.Sms;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>A whole matter from intake to close over HTTP, under each regulation profile a deployment can run.</summary>
[Collection("Azurite")]
public sealed class ProfileLifeApiTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("fujian", "2026-03-05T17:30:00+08:00")]          // help: 3 working days (Fujian 20(4))
    [InlineData("citizen-hotline", "2026-03-09T17:30:00+08:00")] // 5 working days (001)
    [InlineData("weifang", "2026-03-09T17:30:00+08:00")]         // 5 working days (Weifang 20)
    [InlineData("guangzhou", "2026-03-09T18:00:00+08:00")]       // 5 working days, Guangzhou's sessions end at 18:00
    public async Task A_help_matter_lives_from_intake_to_a_satisfied_close(string profile, string dueBy)
    {
        await using var app = new HotlineApp(azurite, profile);
        var matter = await app.PostMatterAsync(MatterBody($"life-{profile}", category: "water-pressure"));
        var id = matter.GetProperty("id").GetString()!;
        Assert.Equal("awaitingSignOff", matter.GetProperty("status").GetString());
        Assert.Equal(dueBy, matter.GetProperty("deadlines").GetProperty("dueBy").GetString());

        var text = Assert.Single(await app.Get<SmsOutbox>().ListAsync(id)).Text;
        var token = text[(text.IndexOf("/o/", StringComparison.Ordinal) + 3)..];
        var web = app.CreateClient();
        (await web.PostAsync($"/api/o/{token}/sign", null)).EnsureSuccessStatusCode();
        (await web.PostAsJsonAsync($"/api/o/{token}/contact", new { note = "已联系" })).EnsureSuccessStatusCode();

        // Fujian 18 asks for photo evidence with the reply; the other profiles do not.
        var evidence = new List<string>();
        if (profile == "fujian")
        {
            var photo = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
            var grant = await (await web.PostAsJsonAsync($"/api/o/{token}/evidence", new { fileName = "a.png", contentType = "image/png", bytes = photo.Length }))
                .Content.ReadFromJsonAsync<JsonElement>();
            using var put = new HttpRequestMessage(HttpMethod.Put, grant.GetProperty("uploadUrl").GetString()) { Content = new ByteArrayContent(photo) };
            put.Headers.Add("x-ms-blob-type", "BlockBlob");
            put.Content.Headers.ContentType = new("image/png");
            using var storage = new HttpClient();
            (await storage.SendAsync(put)).EnsureSuccessStatusCode();
            evidence.Add(grant.GetProperty("blob").GetString()!);
        }
        var reply = await web.PostAsJsonAsync($"/api/o/{token}/reply", new { text = "已修复", evidence });
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());

        await app.StaffPostAsync($"/api/matters/{id}/reply-review", new { accept = true });
        (await app.Channel().PostAsJsonAsync($"/api/matters/{id}/evaluation", new { result = "satisfied" })).EnsureSuccessStatusCode();
        var closed = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}");
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.Equal("evaluated", closed.GetProperty("closure").GetString());
        var progress = await app.Channel().GetFromJsonAsync<JsonElement>($"/api/matters/{id}/progress?phone=13800001234");
        Assert.Equal("已修复", progress.GetProperty("reply").GetString());
    }
}
