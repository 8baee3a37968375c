"""What the instruments' own metadata says about each corpus file, as the extractor tests expect it."""

# file -> (extractor, format, signal_type, dimension sizes in canonical order, {key: (value, unit) or value})
CORPUS = {
    "nexuslims/643_Titan_EELS_proc_intgrate_and_bg_dataZeroed.dm3": (
        "dm", "DigitalMicrograph 3", "image", [61, 62],
        {"acceleration_voltage": (200.0, "kV"), "magnification": 115000.0, "model": "Titan80-300_D3094",
         "vendor": "FEI", "detector": "GIF CCD", "operator": "AndrewHerzing", "specimen": "Au_Fibers_A2",
         "stage_x": (-106.08, "um"), "camera_length": (48.0, "mm"), "pixel_size_x": (3.96838085726, "nm")}),
    "rsciio/test_STEM_image.dm3": (
        "dm", "DigitalMicrograph 3", "image", [68, 68],
        {"acceleration_voltage": (200.0, "kV"), "magnification": 225000.0, "model": "FEI Titan",
         "pixel_size_x": (0.248538017273, "nm"), "dwell_time": (3.5, "us"),
         "stage_alpha": (24.950478513, "deg"), "acquisition_time": "2016-08-08T16:26:37"}),
    "rsciio/test_diffraction_pattern.dm3": (
        "dm", "DigitalMicrograph 3", "diffraction", [87, 87],
        {"acceleration_voltage": (200.0, "kV"), "exposure_time": (0.2, "s"), "detector": "BM-UltraScan",
         "acquisition_time": "2014-07-09T18:56:37"}),
    "rsciio/test-EDS_spectrum.dm3": (
        "dm", "DigitalMicrograph 3", "spectrum", [4096],
        {"acceleration_voltage": (200.0, "kV"), "live_time": (3.806, "s"), "real_time": (4.233, "s"),
         "energy_dispersion": (5.0, "eV"), "acquisition_time": "2016-08-08T21:46:19"}),
    "rsciio/EELS_SI.dm4": (
        "dm", "DigitalMicrograph 4", "spectrum_image", [2, 2, 2048],
        {"acceleration_voltage": (200.0, "kV"), "camera_length": (550.0, "mm"), "detector": "US1000FTXP 1",
         "exposure_time": (0.0200100006768, "s"), "pixel_size_x": (1.99207360856, "nm")}),
    "rsciio/128x128-TEM_search.emi": (
        "tia", "FEI TIA EMI", "image", [128, 128],
        {"acceleration_voltage": (200.0, "kV"), "model": "TalosF200X 200 kV D6308 XTwin", "vendor": "FEI",
         "magnification": 22500.0, "pixel_size_x": (5.26121420505, "nm"), "detector": "BM-Ceta",
         "acquisition_time": "2016-02-22T18:50:01"}),
    "rsciio/128x128-TEM_search_1.ser": (
        "tia", "FEI TIA SER", "image", [128, 128],
        {"acceleration_voltage": (200.0, "kV"), "spot_size": 3.0, "emission_current": (225.0, "uA"),
         "acquisition_time": "2016-02-22T18:50:01"}),
    "rsciio/16x16-spectrum_image-5x5x1024.emi": (
        "tia", "FEI TIA EMI", "spectrum_image", [5, 5, 1024],
        {"acceleration_voltage": (300.0, "kV"), "camera_length": (560.0, "mm"), "dwell_time": (10.0, "us"),
         "energy_dispersion": (0.2, "eV"), "acquisition_time": "2016-02-22T11:55:58"}),
    "rsciio/16x16-spectrum_image-5x5x1024_1.ser": (
        "tia", "FEI TIA SER", "spectrum_image", [5, 5, 1024],
        {"acceleration_voltage": (300.0, "kV"), "model": "Tecnai 300 kV D248 SuperTwin",
         "magnification": 1550000.0, "operator": "PRESTAT"}),
    "nexuslims/647_leo_edax_test.spc": (
        "spc", "EDAX SPC", "spectrum", [4096],
        {"acceleration_voltage": (10.0, "kV"), "live_time": (30.000002, "s"), "energy_dispersion": (5.0, "eV"),
         "n_points": 4096, "stage_alpha": (-1.0, "deg"), "vendor": "EDAX"}),
    "nexuslims/647_leo_edax_test.msa": (
        "msa", "EMSA/MSA", "spectrum", [4096],
        {"acceleration_voltage": (10.0, "kV"), "live_time": (30.0, "s"), "energy_dispersion": (5.0, "eV"),
         "n_points": 4096, "acquisition_time": "2022-08-29T10:14:00"}),
    "rsciio/example1.msa": (
        "msa", "EMSA/MSA", "spectrum", [21],
        {"acceleration_voltage": (120.0, "kV"), "probe_current": (12.345, "nA"), "emission_current": (5.5, "uA"),
         "dwell_time": (100000.0, "us"), "energy_dispersion": (3.1, "eV"), "title": "NIO EELS OK SHELL",
         "acquisition_time": "1991-10-01T12:00:00"}),
    "rsciio/FEI-Helios-Ebeam-8bits.tif": (
        "tiff_fei", "FEI TIFF", "image", [471, 512],
        {"acceleration_voltage": (5.0, "kV"), "beam_current": (0.00625, "nA"), "pixel_size_x": (3372.4, "nm"),
         "working_distance": (4.03466, "mm"), "dwell_time": (10.0, "us"), "detector": "ETD",
         "model": 'Helios NanoLab" 660', "vendor": "FEI", "acquisition_time": "2016-06-13T17:06:40"}),
    "nexuslims/quad1image_001_no_beam_scan_or_system_meta.tif": (
        "tiff_fei", "FEI TIFF", "image", [831, 1024],
        {"acceleration_voltage": (30.0, "kV"), "pixel_size_x": (441.942, "nm"), "working_distance": (11.051, "mm"),
         "dwell_time": (30.0, "us"), "operator": "mkatz", "vacuum_mode": "Low vacuum", "chamber_pressure": (79.8238, "Pa"),
         "acquisition_time": "2017-12-18T13:04:14"}),
    "rsciio/test_tiff_Zeiss_SEM_512pix.tif": (
        "tiff_zeiss", "Zeiss SEM TIFF", "image", [384, 512],
        {"acceleration_voltage": (5.0, "kV"), "magnification": 50000.0, "pixel_size_x": (5.825, "nm"),
         "working_distance": (3.9, "mm"), "detector": "InLens", "model": "ULTRA 55-36-06", "vendor": "Zeiss",
         "acquisition_time": "2018-09-25T08:20:42"}),
    "nexuslims/test_image_thumb_source.png": ("image", "PNG", "image", [1920, 2560], {"mode": "RGBA"}),
    "nexuslims/test_image_thumb_source.jpg": ("image", "JPEG", "image", [1920, 2560], {"mode": "RGB"}),
    "nexuslims/test_image_thumb_source.gif": ("image", "GIF", "image", [1920, 2560], {"mode": "P"}),
    "nexuslims/basic_test.txt": ("text", "text", "text", None, {"n_lines": 1, "encoding": "ascii"}),
    "nexuslims/text_preview_jeol_ansi.txt": ("text", "text", "text", None, {"n_lines": 97, "encoding": "cp1252"}),
    "nexuslims/text_preview_test_data.txt": ("text", "text", "text", None, {"n_lines": 105}),
    "nexuslims/text_preview_test_paragraph.txt": ("text", "text", "text", None, {"n_lines": 8}),
    "nexuslims/unreadable_image.jpg": ("tia", "FEI TIA SER", "image", [1024, 1024],
                                       {"pixel_size_x": (2.53168305058, "nm")}),
    "pcd/ascii.pcd": ("pcd", "PCD point cloud", "point_cloud", [213], {"n_points": 213, "encoding": "ascii"}),
    "pcd/binary.pcd": ("pcd", "PCD point cloud", "point_cloud", [213], {"n_points": 213, "encoding": "binary"}),
    "pcd/binary_compressed.pcd": ("pcd", "PCD point cloud", "point_cloud", [213],
                                  {"n_points": 213, "encoding": "binary_compressed"}),
    "pcd/ascii_organized.pcd": ("pcd", "PCD point cloud", "point_cloud", [2, 4],
                                {"n_points": 8, "fields": ["x", "y", "z", "intensity"]}),
    # more/: formats beyond the first list; values as the instruments' metadata states them (MANIFEST.md)
    "more/velox_tem_stack.emd": ("emd", "Velox EMD", "stack", [2, 3, 3],
                                 {"acceleration_voltage": (300.0, "kV"), "pixel_size_x": (0.00817288319230, "nm"),
                                  "vendor": "FEI", "detector": "BM-Ceta", "acquisition_mode": "TEM",
                                  "exposure_time": (0.8, "s")}),
    "more/bruker_16x16_12bit_packed_8bit.bcf": ("bruker", "Bruker BCF", "spectrum_image", [16, 16, 2048],
                                                {"acceleration_voltage": (20.0, "kV"), "vendor": "Bruker",
                                                 "pixel_size_x": (966.497572879, "nm")}),
    "more/bruker_nano.spx": ("bruker", "Bruker SPX", "spectrum", [4096],
                             {"acceleration_voltage": (15.0, "kV"), "live_time": (7.385, "s"),
                              "energy_dispersion": (2.5, "eV"), "elements": ["Fe", "S", "Cu"]}),
    "more/de_HAADFscan.mrc": ("mrc", "MRC", "image", [16, 16], {"pixel_size_x": (5.679131317138672, "nm")}),
    "more/jeol_met03.EDS": ("jeol", "JEOL EDS", "spectrum", [2048],
                            {"acceleration_voltage": (200.0, "kV"), "energy_dispersion": (10.0004, "eV"),
                             "energy_offset": (-1.76612, "eV"), "live_time": (30.0, "s"), "detector": "EX24075JGT",
                             "detector_azimuth": (90.0, "deg"), "acquisition_time": "2018-06-25T14:14:51"}),
    "more/jeol_View000_0000000.img": ("jeol", "JEOL IMG", "image", [512, 512],
                                      {"acceleration_voltage": (200.0, "kV"), "pixel_size_x": (8.69140625, "nm")}),
    "more/tescan-pfib_dataZeroed.tif": ("tiff_tescan", "TESCAN TIFF", "image", [1578, 1280],
                                        {"acceleration_voltage": (15.0, "kV"), "working_distance": (5.947501, "mm"),
                                         "magnification": 160000.0, "pixel_size_x": (1.5625, "nm"), "detector": "E-T",
                                         "chamber_pressure": (0.00061496, "Pa"), "stage_x": (4072.93, "um"),
                                         "stage_y": (16073.298, "um"), "stage_z": (6311.907, "um"),
                                         "stage_rotation": (30.0, "deg"), "dwell_time": (10.0, "us"),
                                         "emission_current": (217.6420018, "uA"),
                                         "acquisition_time": "2025-12-03T17:19:26"}),
    "more/tescan-pfib_dataZeroed.hdr": ("sidecar", "TESCAN header", "text", None,
                                        {"acceleration_voltage": (15.0, "kV"), "companion": "tescan-pfib_dataZeroed.tif"}),
    "more/orion-zeiss_dataZeroed.tif": ("tiff_him", "Zeiss HIM TIFF", "image", [1120, 1024],
                                        {"acceleration_voltage": (29.997, "kV"), "beam_current": (0.000938, "nA"),
                                         "spot_size": 6.0, "pixel_size_x": (0.9765625, "nm"),
                                         "stage_x": (25157.23, "um"), "stage_alpha": (0.16, "deg"),
                                         "beam_species": "helium"}),
    "more/titan_tem_bf_image_dataZeroed.tif": ("tiff_fei", "FEI TIFF", "image", [2115, 2048],
                                               {"acceleration_voltage": (200.0, "kV"), "stage_x": (307.693, "um"),
                                                "stage_y": (-151.271, "um"), "stage_z": (37.466, "um"),
                                                "stage_alpha": (0.01, "deg"), "magnification": 6300.0,
                                                "acquisition_mode": "TEM"}),
    "more/tofwerk_pfib-tofwerk_raw.h5": ("tofwerk", "Tofwerk ToF-SIMS HDF5", "stack", [7, 128, 128],
                                         {"acceleration_voltage": (30.0, "kV"), "polarity": "positive",
                                          "acquisition_time": "2025-12-03T11:31:45"}),
    "more/merlin_quad_12bit.mib": ("mib", "Merlin MIB", "diffraction", [512, 512],
                                   {"acquisition_time": "2021-04-15T13:44:43", "companion": "merlin_quad_12bit.hdr"}),
    "more/merlin_quad_12bit.hdr": ("sidecar", "Merlin header", "text", None,
                                   {"detector_type": "Medipix 3RX", "companion": "merlin_quad_12bit.mib"}),
}
# Files holding several signals: how many, and the signal type of each further one
SIGNALS = {"more/bruker_16x16_12bit_packed_8bit.bcf": ["image"], "more/tofwerk_pfib-tofwerk_raw.h5": ["spectrum"]}

# Files whose data are all zeros by design: their previews are legitimately flat.
FLAT = {"nexuslims/643_Titan_EELS_proc_intgrate_and_bg_dataZeroed.dm3", "more/tescan-pfib_dataZeroed.tif",
        "more/orion-zeiss_dataZeroed.tif", "more/titan_tem_bf_image_dataZeroed.tif"}
# Files whose pixels cannot be decoded: an error is expected, with the metadata above still read.
DAMAGED = {"nexuslims/quad1image_001_no_beam_scan_or_system_meta.tif": "pixel data cannot be decoded",
           "nexuslims/unreadable_image.jpg": "the content is TIA SER"}


def files_of(extractor: str) -> list[str]:
    return [name for name, case in CORPUS.items() if case[0] == extractor]


def check(extraction, name: str) -> None:
    """Assert that `extraction` agrees with the expectations for corpus file `name`."""
    extractor, fmt, signal_type, sizes, values = CORPUS[name]
    assert extraction.extractor == extractor
    assert extraction.format == fmt
    assert extraction.metadata["signal_type"] == signal_type
    if sizes is not None:
        assert [axis["size"] for axis in extraction.metadata["dimensions"]] == sizes
    for key, expected in values.items():
        found = extraction.metadata.get(key)
        if isinstance(expected, tuple):
            assert found is not None, f"{key} missing"
            assert found["unit"] == expected[1], key
            assert abs(found["value"] - expected[0]) <= 1e-6 * max(1.0, abs(expected[0])), (key, found)
        else:
            assert found == expected, (key, found)
    if name in DAMAGED:
        assert DAMAGED[name] in (extraction.error or "")
    else:
        assert extraction.error is None, extraction.error
