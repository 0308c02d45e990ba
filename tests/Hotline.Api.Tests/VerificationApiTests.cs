using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Runtime.Sms;
using Hotline.Testing;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>Fujian 22 over HTTP: an unsatisfied evaluation waits for staff to verify who is responsible.</summary>
[Collection("Azurite")]
public sealed class VerificationApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_unsatisfied_matter_is_handled_again_only_once_staff_verify_the_organizer_is_responsible_Fujian_art_22()
    {
        await using var app = new HotlineApp(azurite, "weifang");
        var id = (await app.PostMatterAsync(MatterBody("verify-1", category: "water-pressure"))).GetProperty("id").GetString()!;
        var text = Assert.Single(await app.Get<SmsOutbox>().ListAsync(id)).Text;
        var token = text[(text.IndexOf("/o/", StringComparison.Ordinal) + 3)..];
        var web = app.CreateClient();
        (await web.PostAsync($"/api/o/{token}/sign", null)).EnsureSuccessStatusCode();
        (await web.PostAsJsonAsync($"/api/o/{token}/reply", new { text = "已修复", evidence = Array.Empty<string>() })).EnsureSuccessStatusCode();
        await app.StaffPostAsync($"/api/matters/{id}/reply-review", new { accept = true });
        (await app.Channel().PostAsJsonAsync($"/api/matters/{id}/evaluation", new { result = "unsatisfied" })).EnsureSuccessStatusCode();
        var waiting = await app.Staff().GetFromJsonAsync<JsonElement>($"/api/matters/{id}");
        Assert.Equal("awaitingVerification", waiting.GetProperty("status").GetString());

        using (var missing = await app.Staff().PostAsJsonAsync($"/api/matters/{id}/evaluation-verification", new { note = "核实" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.True((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("organizerResponsible", out _));
        }
        using (var byChannel = await app.Channel().PostAsJsonAsync($"/api/matters/{id}/evaluation-verification", new { organizerResponsible = true, note = "核实" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byChannel.StatusCode);
        }

        var again = await app.StaffPostAsync($"/api/matters/{id}/evaluation-verification", new { organizerResponsible = true, note = "核实属承办单位责任" });
        Assert.Equal("handling", again.GetProperty("status").GetString());
        Assert.Equal(2, again.GetProperty("handlingRound").GetInt32());
    }
}
