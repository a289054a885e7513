"""The CHSI output: the limits, the crop planned from face landmarks, the JPEG and its verification."""
