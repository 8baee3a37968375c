"""A record as an RO-Crate zip: its files, its XML, and for a derived record a Process Run Crate (the run as a
CreateAction of the method, with its inputs, parameters, outputs and agent)."""
import json
import tempfile
from pathlib import Path

from django.conf import settings

from lims.analysis.models import Run
from lims.sessions import objects

PROCESS_RUN_CRATE = "https://w3id.org/ro/wfrun/process/0.5"
RECORD_XML = "record.xml"


def _run_of(record) -> Run | None:
    return Run.objects.filter(output_session_id=record.session_id).select_related("method", "requested_by",
                                                                                    "record").first()


def build(record, folder: Path) -> Path:
    """Write the record's RO-Crate zip into `folder`; returns its path."""
    from rocrate.rocrate import ROCrate

    crate = ROCrate(version="1.1")  # the RO-Crate version the Process Run Crate profile 0.5 builds on
    crate.name = record.title
    crate.description = f"Record {record.pk} of {settings.FACILITY_NAME}: {record.title}"
    crate.license = f"{settings.SITE_URL}/records/{record.pk}/"
    xml = folder / RECORD_XML
    with open(xml, "wb") as handle:
        handle.writelines(record.xml_chunks())
    crate.add_file(xml, dest_path=RECORD_XML, properties={
        "name": "Record XML", "encodingFormat": "application/xml", "description": "The record (schema lims-record)"})
    files = {}
    for datafile in record.session.files.select_related("session__instrument").order_by("relative_path", "version"):
        try:
            path = objects.readable_path(datafile.storage_key)
        except FileNotFoundError:
            continue
        if not path.exists():
            continue
        files[datafile.pk] = crate.add_file(path, dest_path=f"files/{datafile.stored_name}",
                                            properties={"name": datafile.relative_path, "sha256": datafile.sha256,
                                                        "contentSize": str(datafile.size)})
    run = _run_of(record)
    if run is not None:
        _process_run(crate, run, list(files.values()))
    path = folder / f"record-{record.pk}-ro-crate.zip"
    crate.write_zip(str(path))
    return path


def _process_run(crate, run: Run, outputs: list) -> None:
    """The run as a Process Run Crate: a SoftwareApplication (the method) and a CreateAction using it."""
    from rocrate.model.contextentity import ContextEntity
    from rocrate.model.person import Person

    method = crate.add(ContextEntity(crate, f"#method-{run.method.slug}-{run.method.version}", properties={
        "@type": "SoftwareApplication", "name": run.method.title, "softwareVersion": run.method.version,
        "url": f"{settings.SITE_URL}/api/v1/methods/{run.method.slug}/?version={run.method.version}",
    }))
    inputs = []
    for item in run.inputs:
        inputs.append(crate.add(ContextEntity(crate, f"{settings.SITE_URL}/records/{run.record_id}/files/"
                                                     f"{item['file_id']}/", properties={
            "@type": "File", "name": item["name"], "sha256": item["sha256"],
            "isPartOf": {"@id": f"{settings.SITE_URL}/records/{run.record_id}/"}})))
        crate.root_dataset.append_to("hasPart", inputs[-1])  # a web-based data entity of the crate
    values = []
    for name, value in sorted(run.params.items()):
        text = f"{value['value']} {value['unit']}" if isinstance(value, dict) else json.dumps(value)
        values.append(crate.add(ContextEntity(crate, f"#param-{name}", properties={
            "@type": "PropertyValue", "name": name, "value": text})))
    properties = {"name": f"{run.method.title} of record {run.record_id}",
                  "startTime": run.started.isoformat() if run.started else None,
                  "endTime": run.finished.isoformat() if run.finished else None,
                  "actionStatus": {"@id": "http://schema.org/CompletedActionStatus"}}
    if run.requested_by:
        person = crate.add(Person(crate, f"#person-{run.requested_by.get_username()}",
                                  properties={"name": run.requested_by.get_username()}))
        properties["agent"] = {"@id": person.id}
    action = crate.add_action(method, identifier=f"#run-{run.pk}", object=inputs + values, result=outputs,
                              properties={k: v for k, v in properties.items() if v is not None})
    crate.root_dataset["mentions"] = [{"@id": action.id}]
    crate.root_dataset["conformsTo"] = [{"@id": PROCESS_RUN_CRATE}]
    crate.add(ContextEntity(crate, PROCESS_RUN_CRATE, properties={
        "@type": "CreativeWork", "name": "Process Run Crate", "version": "0.5"}))


def zipped(record):
    """(open zip file, file name) for a download; the temporary folder goes when the file is closed."""
    folder = tempfile.TemporaryDirectory(prefix="lims-crate-")
    path = build(record, Path(folder.name))
    handle = open(path, "rb")
    handle._folder = folder  # kept alive with the open file
    return handle, path.name
