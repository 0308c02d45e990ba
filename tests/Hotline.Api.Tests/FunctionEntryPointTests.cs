using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hotline.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Hotline.Api.Tests.HotlineApp;

namespace Hotline.Api.Tests;

/// <summary>
/// The Azure Functions host calls the handlers by name with the request's HttpContext (MatterEndpoints.Decide,
/// OrganizerEndpoints.Act, Open311Dispatch). These tests call those same entry points on a plain HttpContext over the
/// real app's services, and compare with the local host's routed answer: one handler, two hosts.
/// </summary>
[Collection("Azurite")]
public sealed class FunctionEntryPointTests(AzuriteFixture azurite)
{
    private static async Task<(int Status, string Body)> InvokeAsync(HotlineApp app, string method, string path, Func<HttpContext, Task<IResult>> entry,
        object? body = null, string? key = null)
    {
        using var scope = app.Services.CreateScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Method = method;
        http.Request.Path = path;
        if (key is not null) http.Request.Headers["x-functions-key"] = key;
        if (body is not null)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentType = "application/json";
            http.Request.ContentLength = bytes.Length;
        }
        var output = new MemoryStream();
        http.Response.Body = output;
        var result = await entry(http);
        await result.ExecuteAsync(http);
        return (http.Response.StatusCode, Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task A_staff_decision_called_by_name_works_as_the_routed_one()
    {
        await using var app = new HotlineApp(azurite);
        var id = (await app.PostMatterAsync(MatterBody("f-1"))).GetProperty("id").GetString()!;

        var (status, body) = await InvokeAsync(app, "POST", $"/api/matters/{id}/dispatch", h => MatterEndpoints.Decide(h, id, "dispatch"),
            new { organizer = "housing" }, StaffKey);
        Assert.Equal(200, status);
        Assert.Equal("awaitingSignOff", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());

        var (refused, _) = await InvokeAsync(app, "POST", $"/api/matters/{id}/dispatch", h => MatterEndpoints.Decide(h, id, "dispatch"),
            new { organizer = "housing" }, ChannelKey);
        Assert.Equal(403, refused);
        var (unknown, _) = await InvokeAsync(app, "POST", $"/api/matters/{id}/teleport", h => MatterEndpoints.Decide(h, id, "teleport"), new { }, StaffKey);
        Assert.Equal(404, unknown);
    }

    [Fact]
    public async Task An_organizer_action_called_by_name_works_as_the_routed_one()
    {
        await using var app = new HotlineApp(azurite);
        var id = (await app.PostMatterAsync(MatterBody("f-2", category: "water-pressure"))).GetProperty("id").GetString()!;
        var text = (await app.Get<Hotline.Runtime.Sms.SmsOutbox>().ListAsync(id))[0].Text;
        var token = text[(text.IndexOf("/o/", StringComparison.Ordinal) + 3)..];

        var (status, body) = await InvokeAsync(app, "POST", $"/api/o/{token}/sign", h => OrganizerEndpoints.Act(h, token, "sign"));
        Assert.Equal(200, status);
        Assert.Equal("handling", JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("services.json")]
    [InlineData("services/water-supply.xml")]
    [InlineData("discovery.json")]
    [InlineData("nothing-here.json")]
    public async Task Open311_paths_dispatched_by_the_catch_all_answer_as_the_routed_ones(string path)
    {
        await using var app = new HotlineApp(azurite);
        using var routed = await app.CreateClient().GetAsync($"/open311/v2/{path}");
        var (status, body) = await InvokeAsync(app, "GET", $"/open311/v2/{path}", h => Open311Dispatch.HandleAsync(h, path));
        Assert.Equal((int)routed.StatusCode, status);
        Assert.Equal(await routed.Content.ReadAsStringAsync(), body);
    }
}
