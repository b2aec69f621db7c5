using Grpc.Core;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Grpc.Reflection;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Node.Daemon.Binding;
using Node.Protocol.Api;

namespace Node.Daemon.Api;

/// <summary>
/// The methods of the local API's services, with the standard health and reflection services,
/// bound without reflection (<see cref="GrpcMethods{TService}"/>): a new rpc in api.proto needs its
/// line here, or the node refuses to start and names it.
/// </summary>
internal static class ApiMethods
{
    /// <summary>Registers the tables; after <c>AddGrpc</c>.</summary>
    public static IServiceCollection AddApiMethods(this IServiceCollection services) => services
        .AddGrpcMethods(new GrpcMethods<NodeApi>(NodeService.Descriptor)
        {
            { nameof(NodeApi.GetStatus), (NodeApi s, GetStatusRequest r, ServerCallContext c) => s.GetStatus(r, c) },
            { nameof(NodeApi.GetIdentity), (NodeApi s, GetIdentityRequest r, ServerCallContext c) => s.GetIdentity(r, c) },
            { nameof(NodeApi.RotateIdentity), (NodeApi s, RotateIdentityRequest r, ServerCallContext c) => s.RotateIdentity(r, c) },
        })
        .AddGrpcMethods(new GrpcMethods<LogApi>(LogService.Descriptor)
        {
            { nameof(LogApi.Verify), (LogApi s, VerifyLogRequest r, ServerCallContext c) => s.Verify(r, c) },
            { nameof(LogApi.Tail), (LogApi s, TailLogRequest r, IServerStreamWriter<LogEvent> w, ServerCallContext c) => s.Tail(r, w, c) },
        })
        .AddGrpcMethods(new GrpcMethods<KnowledgeApi>(KnowledgeService.Descriptor)
        {
            { nameof(KnowledgeApi.Put), (KnowledgeApi s, PutKnowledgeRequest r, ServerCallContext c) => s.Put(r, c) },
            { nameof(KnowledgeApi.Get), (KnowledgeApi s, GetKnowledgeRequest r, ServerCallContext c) => s.Get(r, c) },
            { nameof(KnowledgeApi.List), (KnowledgeApi s, ListKnowledgeRequest r, ServerCallContext c) => s.List(r, c) },
            { nameof(KnowledgeApi.Watch), (KnowledgeApi s, WatchKnowledgeRequest r, IServerStreamWriter<KnowledgePacket> w, ServerCallContext c) => s.Watch(r, w, c) },
            { nameof(KnowledgeApi.Retract), (KnowledgeApi s, RetractRequest r, ServerCallContext c) => s.Retract(r, c) },
            { nameof(KnowledgeApi.ListQuarantine), (KnowledgeApi s, ListQuarantineRequest r, ServerCallContext c) => s.ListQuarantine(r, c) },
            { nameof(KnowledgeApi.Promote), (KnowledgeApi s, QuarantineVerdict r, ServerCallContext c) => s.Promote(r, c) },
            { nameof(KnowledgeApi.Reject), (KnowledgeApi s, QuarantineVerdict r, ServerCallContext c) => s.Reject(r, c) },
        })
        .AddGrpcMethods(new GrpcMethods<PeerApi>(PeerService.Descriptor)
        {
            { nameof(PeerApi.List), (PeerApi s, ListPeersRequest r, ServerCallContext c) => s.List(r, c) },
            { nameof(PeerApi.Add), (PeerApi s, AddPeerRequest r, ServerCallContext c) => s.Add(r, c) },
            { nameof(PeerApi.SetTrust), (PeerApi s, SetTrustRequest r, ServerCallContext c) => s.SetTrust(r, c) },
            { nameof(PeerApi.Forget), (PeerApi s, ForgetPeerRequest r, ServerCallContext c) => s.Forget(r, c) },
            { nameof(PeerApi.Get), (PeerApi s, GetPeerRequest r, ServerCallContext c) => s.Get(r, c) },
        })
        .AddGrpcMethods(new GrpcMethods<FederationApi>(FederationService.Descriptor)
        {
            { nameof(FederationApi.Discover), (FederationApi s, DiscoverRequest r, ServerCallContext c) => s.Discover(r, c) },
            { nameof(FederationApi.Diagnose), (FederationApi s, DiagnoseRequest r, ServerCallContext c) => s.Diagnose(r, c) },
            { nameof(FederationApi.GetSyncStatus), (FederationApi s, GetSyncStatusRequest r, ServerCallContext c) => s.GetSyncStatus(r, c) },
            { nameof(FederationApi.Sync), (FederationApi s, SyncRequest r, ServerCallContext c) => s.Sync(r, c) },
            { nameof(FederationApi.SetAutoSync), (FederationApi s, SetAutoSyncRequest r, ServerCallContext c) => s.SetAutoSync(r, c) },
        })
        .AddGrpcMethods(new GrpcMethods<DecisionApi>(DecisionService.Descriptor)
        {
            { nameof(DecisionApi.List), (DecisionApi s, ListDecisionsRequest r, ServerCallContext c) => s.List(r, c) },
            { nameof(DecisionApi.Approve), (DecisionApi s, GuardianVerdict r, ServerCallContext c) => s.Approve(r, c) },
            { nameof(DecisionApi.Reject), (DecisionApi s, GuardianVerdict r, ServerCallContext c) => s.Reject(r, c) },
            { nameof(DecisionApi.StopAutomatic), (DecisionApi s, GuardianStopRequest r, ServerCallContext c) => s.StopAutomatic(r, c) },
            { nameof(DecisionApi.ResumeAutomatic), (DecisionApi s, GuardianStopRequest r, ServerCallContext c) => s.ResumeAutomatic(r, c) },
            { nameof(DecisionApi.GetAutomatic), (DecisionApi s, GetAutomaticRequest r, ServerCallContext c) => s.GetAutomatic(r, c) },
        })
        .AddGrpcMethods(new GrpcMethods<BackupApi>(BackupService.Descriptor)
        {
            { nameof(BackupApi.Create), (BackupApi s, CreateBackupRequest r, IServerStreamWriter<BackupProgress> w, ServerCallContext c) => s.Create(r, w, c) },
            { nameof(BackupApi.GetStatus), (BackupApi s, GetBackupStatusRequest r, ServerCallContext c) => s.GetStatus(r, c) },
        })
        .AddGrpcMethods(new GrpcMethods<StoreApi>(StoreService.Descriptor)
        {
            { nameof(StoreApi.Scrub), (StoreApi s, ScrubRequest r, ServerCallContext c) => s.Scrub(r, c) },
        })
        .AddGrpcMethods(new GrpcMethods<ReasoningApi>(ReasoningService.Descriptor)
        {
            {
                nameof(ReasoningApi.Observe),
                (ReasoningApi s, IAsyncStreamReader<ObserveRequest> r, IServerStreamWriter<ObserveReply> w, ServerCallContext c) => s.Observe(r, w, c)
            },
            { nameof(ReasoningApi.GetStatus), (ReasoningApi s, GetReasoningStatusRequest r, ServerCallContext c) => s.GetStatus(r, c) },
            { nameof(ReasoningApi.Audit), (ReasoningApi s, AuditRequest r, ServerCallContext c) => s.Audit(r, c) },
        })
        .AddGrpcMethods(new GrpcMethods<HealthServiceImpl>(Grpc.Health.V1.Health.Descriptor)
        {
            { nameof(HealthServiceImpl.Check), (HealthServiceImpl s, HealthCheckRequest r, ServerCallContext c) => s.Check(r, c) },
            {
                nameof(HealthServiceImpl.Watch),
                (HealthServiceImpl s, HealthCheckRequest r, IServerStreamWriter<HealthCheckResponse> w, ServerCallContext c) => s.Watch(r, w, c)
            },
        })
        .AddGrpcMethods(new GrpcMethods<ReflectionServiceImpl>(ServerReflection.Descriptor)
        {
            {
                nameof(ReflectionServiceImpl.ServerReflectionInfo),
                (ReflectionServiceImpl s, IAsyncStreamReader<ServerReflectionRequest> r, IServerStreamWriter<ServerReflectionResponse> w, ServerCallContext c) =>
                    s.ServerReflectionInfo(r, w, c)
            },
        });
}
