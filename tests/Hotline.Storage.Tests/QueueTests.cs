using Hotline.Storage.Queues;
using Hotline.Testing;

namespace Hotline.Storage.Tests;

public sealed class QueueTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly StorageConnection _connection = StorageConnection.Parse(azurite.ConnectionString);

    private async Task<QueueClient> NewQueueAsync()
    {
        var queue = new QueueClient(_connection, StorageNames.Queue("alarms"));
        Assert.True((await queue.CreateIfNotExistsAsync()).Value);
        return queue;
    }

    [Fact]
    public async Task Create_if_not_exists_is_idempotent()
    {
        var queue = await NewQueueAsync();

        Assert.False((await queue.CreateIfNotExistsAsync()).Value);
    }

    [Fact]
    public async Task A_message_put_with_a_visibility_delay_is_invisible_until_due()
    {
        var queue = await NewQueueAsync();

        var receipt = (await queue.SendMessageAsync("{\"alarm\":\"sign-off-due\",\"matter\":\"m-1\"}", TimeSpan.FromSeconds(3))).Value;

        Assert.InRange(receipt.NextVisibleOn - receipt.InsertedOn, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);

        // Poll until it shows up; it must not before its due time (1 s server clock granularity allowed).
        QueueMessage? message = null;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (message is null && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(250);
            message = (await queue.ReceiveMessagesAsync()).Value.SingleOrDefault();
            if (message is null)
            {
                continue;
            }
            Assert.True(DateTimeOffset.UtcNow >= receipt.NextVisibleOn.AddSeconds(-1), "the message became visible before its due time");
        }

        Assert.NotNull(message);
        Assert.Equal(receipt.MessageId, message.MessageId);
        Assert.Equal("{\"alarm\":\"sign-off-due\",\"matter\":\"m-1\"}", message.Text);
        Assert.Equal(1, message.DequeueCount);
    }

    [Fact]
    public async Task Received_message_is_hidden_then_updated_visible_with_new_text_then_deleted_by_latest_receipt()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("effect: sms #1 <to organizer> & 'quote' 短信", timeToLive: Timeout.InfiniteTimeSpan);

        var peeked = Assert.Single((await queue.PeekMessagesAsync()).Value);
        Assert.Equal(0, peeked.DequeueCount);
        Assert.True(peeked.ExpiresOn.Year >= 9999);

        var first = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromMinutes(5))).Value);
        Assert.Equal("effect: sms #1 <to organizer> & 'quote' 短信", first.Text);
        Assert.Equal(1, first.DequeueCount);
        Assert.Empty((await queue.ReceiveMessagesAsync()).Value);

        // Make it visible again at once, with new content (a retry with backoff state, say).
        var update = (await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt, TimeSpan.Zero, "effect: sms #1 attempt 2")).Value;
        Assert.NotEqual(first.PopReceipt, update.PopReceipt);

        var second = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromMinutes(5))).Value);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal("effect: sms #1 attempt 2", second.Text);
        Assert.Equal(2, second.DequeueCount);

        // Stale receipts no longer delete; the latest does, once.
        Assert.False((await queue.DeleteMessageAsync(first.MessageId, first.PopReceipt)).Value);
        Assert.False((await queue.DeleteMessageAsync(first.MessageId, update.PopReceipt)).Value);
        Assert.True((await queue.DeleteMessageAsync(second.MessageId, second.PopReceipt)).Value);
        Assert.False((await queue.DeleteMessageAsync(second.MessageId, second.PopReceipt)).Value);
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task Update_can_push_visibility_out_without_changing_text()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("alarm");
        var taken = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromSeconds(1))).Value);

        var update = (await queue.UpdateMessageAsync(taken.MessageId, taken.PopReceipt, TimeSpan.FromDays(7))).Value;

        Assert.InRange(update.NextVisibleOn - DateTimeOffset.UtcNow, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await Task.Delay(1500);
        Assert.Empty((await queue.ReceiveMessagesAsync()).Value);
        var peek = await queue.PeekMessagesAsync();
        Assert.Empty(peek.Value);
    }

    [Fact]
    public async Task Receive_takes_several_and_empty_queue_gives_nothing()
    {
        var queue = await NewQueueAsync();
        Assert.Empty((await queue.ReceiveMessagesAsync(32)).Value);
        for (var i = 0; i < 5; i++)
        {
            await queue.SendMessageAsync($"m{i}");
        }

        var taken = (await queue.ReceiveMessagesAsync(32)).Value;

        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], taken.Select(m => m.Text).Order(StringComparer.Ordinal));
        Assert.Equal(5, taken.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Out_of_range_arguments_are_rejected_before_sending()
    {
        var requests = new CountingPolicy();
        var queue = new QueueClient(_connection, StorageNames.Queue(), requests.Options());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("x", TimeSpan.FromDays(8)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("x", TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("x", TimeSpan.FromHours(2), TimeSpan.FromHours(1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(33));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(1, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(new string('x', QueueClient.MaxMessageBytes + 1)));
        Assert.Throws<ArgumentException>(() => new QueueClient(_connection, "Alarms"));

        Assert.Equal(0, requests.Count);
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_key_is_refused()
    {
        var queue = await NewQueueAsync();
        var wrongKey = StorageConnection.Parse(azurite.ConnectionString.Replace(AzuriteInstance.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal));

        var e = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => new QueueClient(wrongKey, queue.Name).SendMessageAsync("x"));

        Assert.Equal(403, e.Status);
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
    }
}
