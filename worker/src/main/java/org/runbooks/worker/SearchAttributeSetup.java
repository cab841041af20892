package org.runbooks.worker;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.runbooks.runbook.RunbookSearchAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Makes sure the runbook search attributes exist before the worker polls: a runbook that upserts an unknown
 * attribute would stall. Servers that refuse (Temporal Cloud, restricted operators) get a clear message naming the
 * {@code temporal operator search-attribute create} commands README gives.
 */
final class SearchAttributeSetup {

    private static final Logger log = LoggerFactory.getLogger(SearchAttributeSetup.class);

    private SearchAttributeSetup() {
    }

    static void ensure(WorkflowServiceStubs stubs, String namespace) {
        // The same channel, with the same headers (API key, profile metadata) and interceptors: the raw channel
        // alone carries no API key, so a server that requires one would refuse these calls.
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
                .setChannel(stubs.getRawChannel())
                .setGrpcMetadataProviders(stubs.getOptions().getGrpcMetadataProviders())
                .setGrpcClientInterceptors(stubs.getOptions().getGrpcClientInterceptors())
                .validateAndBuildWithDefaults());
        Set<String> existing = operator.blockingStub().listSearchAttributes(ListSearchAttributesRequest.newBuilder()
                .setNamespace(namespace).build()).getCustomAttributesMap().keySet();
        Map<String, IndexedValueType> missing = RunbookSearchAttributes.ALL.stream()
                .map(SearchAttributeKey::getName)
                .filter(name -> !existing.contains(name))
                .collect(Collectors.toMap(name -> name, name -> IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        if (missing.isEmpty()) {
            return;
        }
        try {
            operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                    .setNamespace(namespace).putAllSearchAttributes(missing).build());
            log.info("created search attributes {} in namespace {}", missing.keySet(), namespace);
        } catch (RuntimeException e) {
            throw new IllegalStateException("search attributes " + missing.keySet() + " are missing in namespace "
                    + namespace + " and the server refused to create them (" + e.getMessage() + "); create them with "
                    + "`temporal operator search-attribute create --name <Name> --type Keyword` (see README)", e);
        }
    }
}
